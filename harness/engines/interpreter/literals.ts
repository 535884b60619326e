// WGSL numeric literals as WGSL §"Literals" defines them (patches/README.md §25). wgsl_reflect 1.6.0 scans a
// hexadecimal float and then reads it with parseFloat, which stops at the 'x': every hex float was 0
// (`var m = -0x1.fffffep+127f;`, the usual seed of a running max, was -0, and a correct log-sum-exp failed on the
// interpreter alone). Its scanner's hex float rule also spells the prefix `0x` only, so `0X1P4f` did not scan (the
// integer rules are run/reflect.ts's, §20). Imported by the interpreter's fixes (fixes.ts) and by the mutation parser
// (mutate/parse.ts), whose operators read a literal's value from its text.
import { LiteralExpr, ScalarData, TokenTypes, WgslParser } from 'wgsl_reflect/wgsl_reflect.module.js';

type Any = any;

/** hex_float_literal (WGSL §"Literals"): a fraction with an optional exponent, or digits with a required one. The
 *  leading '-' is wgsl_reflect's: its scanner folds a minus into the literal after an operator. */
const HEX_FLOAT = /^(-?)0[xX](?:([0-9a-fA-F]*)\.([0-9a-fA-F]*)(?:[pP]([+-]?[0-9]+))?|([0-9a-fA-F]+)[pP]([+-]?[0-9]+))([fh]?)$/;

/** Significand bits and the exponent of the lowest subnormal bit, per suffix: f32, f16, and AbstractFloat (binary64). */
const FORMAT: Record<string, [number, number]> = { f: [24, -149], h: [11, -24], '': [53, -1074] };

/**
 * The value of a WGSL hexadecimal float literal, rounded to its type (f32 for `f`, f16 for `h`, binary64 for an
 * abstract one, which becomes f32 where it is used) to nearest, ties to even; undefined when `text` is not one.
 */
export function hexFloatValue(text: string): number | undefined {
  const m = HEX_FLOAT.exec(text);
  if (!m) return undefined;
  const [, sign, whole, fraction, fracExp, digits, digitsExp, suffix] = m;
  if (whole === '' && fraction === '') return undefined;
  const hex = digits ?? `${whole}${fraction}`;
  let mantissa = BigInt(`0x${hex}`);
  let exponent = Number(digitsExp ?? fracExp ?? 0) - 4 * (digits === undefined ? fraction!.length : 0);
  const s = sign ? -1 : 1;
  if (mantissa === 0n) return s * 0;
  const [precision, lowest] = FORMAT[suffix!]!;
  const shift = Math.max(mantissa.toString(2).length - precision, lowest - exponent);
  if (shift > 0) {
    const k = BigInt(shift);
    const q = mantissa >> k;
    const rest = mantissa - (q << k);
    const half = 1n << (k - 1n);
    mantissa = rest > half || (rest === half && (q & 1n) === 1n) ? q + 1n : q;
    exponent += shift;
  }
  // The mantissa fits the format's significand and the exponent is at or above its lowest bit: the product is exact
  // (or infinite: a literal past the type's range, which the WGSL compiler rejects).
  return s * Number(mantissa) * 2 ** exponent;
}

/** The value of a WGSL numeric literal's text (suffix and all, a leading '-' allowed); undefined when not one. */
export function literalValue(text: string): number | undefined {
  const hex = hexFloatValue(text);
  if (hex !== undefined) return hex;
  if (/^-?0[xX][0-9a-fA-F]+[iu]?$/.test(text)) return parseInt(text.replace(/[iu]$/, ''), 16);
  if (/^-?([0-9]*\.[0-9]+|[0-9]+\.[0-9]*|[0-9]+)([eE][+-]?[0-9]+)?[fhiu]?$/.test(text)) return parseFloat(text.replace(/[fhiu]$/, ''));
  return undefined;
}

let installed = false;

/**
 * The scanner accepts a hex float with a `0X` prefix (WGSL §"Literals": `0[xX]`), and the parser gives a hex float
 * literal its value (hexFloatValue) in place of parseFloat's 0. Idempotent; before any WGSL is parsed.
 */
export function fixLiterals(): void {
  if (installed) return;
  installed = true;
  const tokens = (TokenTypes as Any).tokens;
  tokens.hex_float_literal.rule = /-?0[xX]((([0-9a-fA-F]*\.[0-9a-fA-F]+|[0-9a-fA-F]+\.[0-9a-fA-F]*)([pP][+-]?[0-9]+[fh]?)?)|([0-9a-fA-F]+[pP][+-]?[0-9]+[fh]?))/;
  const proto = WgslParser.prototype as Any;
  const primary = proto._primary_expression;
  proto._primary_expression = function (this: Any) {
    const token = this._tokens[this._current];
    const node = primary.call(this);
    if (token?.type === tokens.hex_float_literal && node instanceof LiteralExpr) {
      const v = hexFloatValue(token.lexeme);
      if (v !== undefined) (node as Any).value = new ScalarData(v, (node as Any).value.typeInfo);
    }
    return node;
  };
}
