// Builtins called where WGSL leaves their result open: sin and cos (and tan, whose accuracy WGSL inherits from them)
// give 2^-11 absolute error on [−π, π] only (WGSL §"Floating Point Accuracy"); past it any value is allowed, so a
// kernel that calls them there holds on the engines we run (SwiftShader, lavapipe and this interpreter are accurate
// far beyond π) and not on a GPU whose fast cos reduces its argument coarsely. A trial's RoPE without argument
// reduction, cos of angles up to 8192, passed every property on every engine. And pack2x16float of a value outside
// f16's finite range gives an indeterminate u32 (§"pack2x16float"): a trial's clamp to 65520 instead of 65504 failed
// on Dawn and passed here, where the value was cut to 65504. pow(x, y) inherits its accuracy from exp2(y * log2(x))
// (§"Floating Point Accuracy"), and log2 is bounded for x > 0 only, so pow is open for x <= 0 and for a subnormal x,
// which may be flushed to 0 (the CTS's powInterval is "any" there): SwiftShader and lavapipe give the real power, a
// GPU computing exp2(y * log2(x)) gives NaN for x < 0; a trial's pow(x, 2.0) over inputs of both signs passed on Dawn
// and Deno. log and log2 are bounded for x > 0 only too, inverseSqrt likewise, and sqrt inherits inverseSqrt's domain
// (1 / inverseSqrt(x)): sqrt(0) is 0 here and on these engines, NaN on a GPU computing x * inverseSqrt(x). length(e)
// inherits sqrt(dot(e, e)) (the CTS's lengthInterval; sqrt(e * e) for a scalar), distance(a, b) length(a - b), and
// normalize(e) e / length(e), so each is open where that dot is below 2^-126 (a zero vector) or past f32's largest
// (it overflows): a trial's norm written with length passed where the same one written with sqrt failed. Seen here,
// where every call is.
import { ScalarData, VectorData, WgslDebug } from 'wgsl_reflect/wgsl_reflect.module.js';
import { MAX_F32, MIN_NORMAL_F32 } from '../../bounds/f32.ts';
import { held } from './fixes.ts';

type Any = any;

/** The first call of a dispatch outside its builtin's bounded range, and how many there were. */
export interface DomainCall {
  builtin: 'sin' | 'cos' | 'tan' | 'pack2x16float' | 'pow' | 'sqrt' | 'inverseSqrt' | 'log' | 'log2' | 'length' | 'distance' | 'normalize';
  /** The argument (pow's base), the component furthest outside for a vector; for length, distance and normalize, the
   *  dot product of the vector with itself, exact. */
  x: number;
  /** 1-based line of the call. */
  line: number;
  count: number;
}

let current: DomainCall | undefined;
let lineNow: () => number = () => 0;

/** Starts a dispatch's record; `takeDomainCall` ends it. */
export function watchDomains(): void {
  current = undefined;
}

export function takeDomainCall(): DomainCall | undefined {
  const c = current;
  current = undefined;
  return c;
}

/**
 * Values WGSL allows where a call's result is open, given in place of the accurate one to see whether the output
 * depends on it: NaN (which arithmetic carries to every output it reaches) and the accurate value + 1 (finite, so
 * that a comparison, min, max or select that swallows a NaN sees another value). For pack2x16float, whose whole u32
 * is indeterminate, the accurate bits inverted and with both halves' signs flipped. A correct kernel's output is
 * within its bound whatever these calls give (a masked lane's `select(rotated, x, is_pad)` discards them); one whose
 * output moves past its bound is right only on engines that happen to be accurate there.
 */
export const SUBSTITUTES = [
  { says: 'NaN', f32: () => NaN, u32: (bits: number) => ~bits >>> 0 },
  { says: 'its accurate value + 1', f32: (v: number) => v + 1, u32: (bits: number) => (bits ^ 0x80008000) >>> 0 },
] as const;

/** The substitute given for calls outside their range while set (an index into SUBSTITUTES); undefined: none. */
let substitute: number | undefined;

/** Runs `fn` with every call outside its builtin's range giving SUBSTITUTES[k] in place of its accurate value. */
export function withSubstitute<T>(k: number, fn: () => T): T {
  substitute = k;
  try {
    return fn();
  } finally {
    substitute = undefined;
  }
}

let installed = false;

/** Wraps sin, cos, tan, pack2x16float, pow, sqrt, inverseSqrt, log and log2 of wgsl_reflect's builtins (their class
 *  is reached through a debugger of an empty module) to record arguments past π, exactly (sinCosBound's range: f32(π) =
 *  3.14159274 is past it), past ±65504, or (pow's base; the others' argument) below f32's smallest normal, 2^-126, 0
 *  and -0 included. Idempotent. */
export function installDomainChecks(line: () => number): void {
  lineNow = line;
  if (installed) return;
  installed = true;
  const builtins = Object.getPrototypeOf(new WgslDebug('').exec.builtins) as Any;
  const F16_MAX = 65504;
  // NaN is outside every range but pow's (f16's finite one; [−π, π], where it propagates anyway); pow of a NaN base is
  // NaN on every engine.
  const within = (limit: number) => (x: number) => Math.abs(x) <= limit;
  const normalOrNaN = (x: number) => !(x < MIN_NORMAL_F32);
  const bounded = [['Sin', 'sin', within(Math.PI)], ['Cos', 'cos', within(Math.PI)], ['Tan', 'tan', within(Math.PI)],
    ['Pack2x16float', 'pack2x16float', within(F16_MAX)], ['Pow', 'pow', normalOrNaN], ['Sqrt', 'sqrt', normalOrNaN],
    ['InverseSqrt', 'inverseSqrt', normalOrNaN], ['Log', 'log', normalOrNaN], ['Log2', 'log2', normalOrNaN]] as const;
  for (const [method, builtin, inside] of bounded) {
    const original = builtins[method];
    builtins[method] = function (this: Any, node: Any, context: Any) {
      const value = this.exec.evalExpression(node.args[0], context);
      const xs: ArrayLike<number> = value instanceof VectorData ? (value.data as ArrayLike<number>) : value instanceof ScalarData ? [value.value as number] : [];
      let worst: number | undefined;
      for (let i = 0; i < xs.length; i++) if (!inside(xs[i]!) && (worst === undefined || !(Math.abs(xs[i]!) <= Math.abs(worst)))) worst = xs[i]!;
      if (worst !== undefined) {
        if (current) current.count++;
        else current = { builtin, x: worst, line: lineNow(), count: 1 };
      }
      const h = Object.create(node);
      h.args = [held(value), ...node.args.slice(1)];
      const result = original.call(this, h, context);
      return worst !== undefined && substitute !== undefined ? substituted(result, builtin === 'pack2x16float' ? undefined : xs, inside, SUBSTITUTES[substitute]!) : result;
    };
  }
  // The norms: open where dot(e, e) is subnormal or 0, or overflows f32 (a NaN dot is inside, as above).
  const normal = (dot: number) => !(dot < MIN_NORMAL_F32) && !(dot > MAX_F32);
  let inNormalize = false;
  for (const [method, builtin] of [['Length', 'length'], ['Distance', 'distance'], ['Normalize', 'normalize']] as const) {
    const original = builtins[method];
    builtins[method] = function (this: Any, node: Any, context: Any) {
      // wgsl_reflect's Normalize calls its Length on the same node: that call is normalize's, not one of its own.
      if (inNormalize) return original.call(this, node, context);
      const values = node.args.map((a: Any) => this.exec.evalExpression(a, context));
      const parts = values.map((v: Any): ArrayLike<number> => (v instanceof VectorData ? v.data : v instanceof ScalarData ? [v.value as number] : []));
      const e: ArrayLike<number> = builtin === 'distance' ? Array.from(parts[0]!, (a: number, i) => a - (parts[1]![i] ?? 0)) : parts[0]!;
      let dot = 0;
      for (let i = 0; i < e.length; i++) dot += e[i]! * e[i]!;
      const outside = e.length > 0 && !normal(dot);
      if (outside) {
        if (current) current.count++;
        else current = { builtin, x: dot, line: lineNow(), count: 1 };
      }
      const h = Object.create(node);
      h.args = values.map(held);
      inNormalize = builtin === 'normalize';
      let result: Any;
      try {
        result = original.call(this, h, context);
      } finally {
        inNormalize = false;
      }
      if (!outside || substitute === undefined) return result;
      const sub = SUBSTITUTES[substitute]!;
      return result instanceof VectorData ? new VectorData(Array.from(result.data as ArrayLike<number>, (v) => sub.f32(v)), result.typeInfo)
        : new ScalarData(sub.f32(result.value as number), result.typeInfo);
    };
  }
}

/** `result` with the substitute in each component whose argument was outside the range (`xs`; every component of
 *  pack2x16float's one u32). */
function substituted(result: Any, xs: ArrayLike<number> | undefined, inside: (x: number) => boolean, sub: (typeof SUBSTITUTES)[number]): Any {
  if (!xs) return new ScalarData(sub.u32(result.value as number), result.typeInfo);
  if (result instanceof ScalarData) return new ScalarData(sub.f32(result.value as number), result.typeInfo);
  const data = Array.from(result.data as ArrayLike<number>, (v, i) => (inside(xs[i]!) ? v : sub.f32(v)));
  return new VectorData(data, result.typeInfo);
}

/** Which call, where, and how many more: `cos(8191.5) at rope.wgsl:35 (and 3 more such calls)`. */
export function domainCall(c: Pick<DomainCall, 'x' | 'line' | 'count'> & { builtin: string }, file: string | undefined): string {
  const at = file ? `${file}:${c.line}` : `line ${c.line}`;
  const more = c.count > 1 ? ` (and ${c.count - 1} more such call${c.count > 2 ? 's' : ''})` : '';
  const x = Number(Math.fround(c.x).toPrecision(9));
  if (c.builtin === 'pack2x16float') return `pack2x16float of ${x} at ${at}${more}`;
  if (c.builtin === 'length' || c.builtin === 'distance' || c.builtin === 'normalize') {
    const e = c.builtin === 'distance' ? 'a - b' : 'e';
    return `${c.builtin === 'distance' ? 'distance(a, b)' : `${c.builtin}(e)`} with dot(${e}, ${e}) = ${Number(c.x.toPrecision(9))} at ${at}${more}`;
  }
  return c.builtin === 'pow' ? `pow with base ${x} at ${at}${more}` : `${c.builtin}(${x}) at ${at}${more}`;
}

/** Whether a saved failure's message is one of domainText's: a failure only the interpreter can see. */
export const isDomainFailure = (message: string): boolean =>
  /^(?:(?:sin|cos|tan|sqrt|inverseSqrt|log|log2)\(\S+\)|pack2x16float of \S+|pow with base \S+|(?:length\(e\)|normalize\(e\)|distance\(a, b\)) with dot\([^)]*\) = \S+) at .+: (?:WGSL bounds|a value outside f16|WGSL gives)/.test(message);

/** The sentence a failure gives (property-runner.ts judge): where, what, and what to do. */
export function domainText(c: Pick<DomainCall, 'x' | 'line' | 'count'> & { builtin: string }, file: string | undefined): string {
  const head = domainCall(c, file);
  if (c.builtin === 'pack2x16float') {
    return `${head}: a value outside f16's finite range (±65504) makes the packed u32 indeterminate in WGSL, any value at all (the engines here happen to give one); clamp to ±65504 first`;
  }
  if (c.builtin === 'pow') {
    return `${head}: WGSL gives pow the accuracy of exp2(y * log2(x)), which has no bound for a base at or below 0 (log2 is bounded for x > 0 only; a subnormal base may be flushed to 0), so this output is right only on engines that give the real power there (SwiftShader and lavapipe do; a GPU computing exp2(y * log2(x)) gives NaN for a negative base); write a square as x * x, give the sign back by hand for an odd integer power of abs(x), and discard a base of 0 with select(pow(x, y), 0.0, x < 1.17549435e-38) for y > 0`;
  }
  if (c.builtin === 'length' || c.builtin === 'distance' || c.builtin === 'normalize') {
    const [call, e, guard] = { length: ['length(e)', 'e', 'select(length(e), 0.0, dot(e, e) < 1.17549435e-38)'],
      distance: ['distance(a, b)', 'a - b', 'select(distance(a, b), 0.0, dot(a - b, a - b) < 1.17549435e-38)'],
      normalize: ['normalize(e)', 'e', 'select(normalize(e), vec3f(0.0), dot(e, e) < 1.17549435e-38) (the zero vector of e\'s type)'] }[c.builtin];
    const inherited = c.builtin === 'normalize' ? 'e / length(e), and length(e) that of sqrt(dot(e, e))' : c.builtin === 'distance' ? 'length(a - b), that is sqrt(dot(a - b, a - b))' : 'sqrt(dot(e, e)) (sqrt(e * e) for a scalar)';
    return `${head}: WGSL gives ${call} the accuracy of ${inherited}, which has no bound where dot(${e}, ${e}) is at or below 0 or subnormal (sqrt is 1 / inverseSqrt(x), bounded for x > 0 only) or overflows f32, so this output is right only on engines that compute the norm exactly there (these do; a GPU computing x * inverseSqrt(x) gives NaN for a zero vector); discard such a call with ${guard}, or bound the output as unbounded there`;
  }
  const positive = { sqrt: ['gives sqrt the accuracy of 1 / inverseSqrt(x), which has no bound', 'give 0 there (these do; a GPU computing x * inverseSqrt(x) gives NaN at 0)', 'sqrt(x), 0.0', 'or bound the output as unbounded where the argument may be 0 (sqrtBound gives Infinity there)'],
    inverseSqrt: ['gives inverseSqrt no bound', 'give Infinity there (these do)', 'inverseSqrt(x), 0.0', 'or add a positive epsilon first, inverseSqrt(v + eps)'],
    log: ['gives log no bound', 'give -Infinity there (these do)', 'log(x), -3.4e38', 'or keep the argument positive, log(max(x, 1.17549435e-38))'],
    log2: ['gives log2 no bound', 'give -Infinity there (these do)', 'log2(x), -3.4e38', 'or keep the argument positive, log2(max(x, 1.17549435e-38))'] }[c.builtin];
  if (positive) {
    const [rule, engines, call, instead] = positive;
    return `${head}: WGSL ${rule} for an argument at or below 0 (it is bounded for x > 0 only; a subnormal may be flushed to 0), so this output is right only on engines that ${engines}; discard such a call with select(${call}, x < 1.17549435e-38), ${instead}`;
  }
  return `${head}: WGSL bounds ${c.builtin}'s error on [−π, π] only and allows any value outside it, so this output is right only on engines whose ${c.builtin} is accurate there (these are; a GPU's fast ${c.builtin} need not be); reduce the argument into [−π, π] first (x - 2π·round(x / 2π), in a wider step if x is large), or bound the output as unbounded where the argument may be outside (sinCosBound gives Infinity there)`;
}
