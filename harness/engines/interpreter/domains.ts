// Builtins called where WGSL leaves their result open: sin and cos (and tan, whose accuracy WGSL inherits from them)
// give 2^-11 absolute error on [−π, π] only (WGSL §"Floating Point Accuracy"); past it any value is allowed, so a
// kernel that calls them there holds on the engines we run (SwiftShader, lavapipe and this interpreter are accurate
// far beyond π) and not on a GPU whose fast cos reduces its argument coarsely. A trial's RoPE without argument
// reduction, cos of angles up to 8192, passed every property on every engine. And pack2x16float of a value outside
// f16's finite range gives an indeterminate u32 (§"pack2x16float"): a trial's clamp to 65520 instead of 65504 failed
// on Dawn and passed here, where the value was cut to 65504. Seen here, where every call is.
import { ScalarData, VectorData, WgslDebug } from 'wgsl_reflect/wgsl_reflect.module.js';
import { held } from './fixes.ts';

type Any = any;

/** The first call of a dispatch outside its builtin's bounded range, and how many there were. */
export interface DomainCall {
  builtin: 'sin' | 'cos' | 'tan' | 'pack2x16float';
  /** The argument, the element furthest outside for a vector. */
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

let installed = false;

/** Wraps sin, cos, tan and pack2x16float of wgsl_reflect's builtins (their class is reached through a debugger of an
 *  empty module) to record arguments past π, exactly (sinCosBound's range: f32(π) = 3.14159274 is past it), or past
 *  ±65504. Idempotent. */
export function installDomainChecks(line: () => number): void {
  lineNow = line;
  if (installed) return;
  installed = true;
  const builtins = Object.getPrototypeOf(new WgslDebug('').exec.builtins) as Any;
  const F16_MAX = 65504;
  for (const [method, builtin, limit] of [['Sin', 'sin', Math.PI], ['Cos', 'cos', Math.PI], ['Tan', 'tan', Math.PI], ['Pack2x16float', 'pack2x16float', F16_MAX]] as const) {
    const original = builtins[method];
    builtins[method] = function (this: Any, node: Any, context: Any) {
      const value = this.exec.evalExpression(node.args[0], context);
      const xs: ArrayLike<number> = value instanceof VectorData ? (value.data as ArrayLike<number>) : value instanceof ScalarData ? [value.value as number] : [];
      let worst = 0;
      // NaN is outside every range (f16's finite one; [−π, π], where it propagates anyway).
      for (let i = 0; i < xs.length; i++) if (!(Math.abs(xs[i]!) <= Math.abs(worst))) worst = xs[i]!;
      if (!(Math.abs(worst) <= limit)) {
        if (current) current.count++;
        else current = { builtin, x: worst, line: lineNow(), count: 1 };
      }
      const h = Object.create(node);
      h.args = [held(value)];
      return original.call(this, h, context);
    };
  }
}

/** The sentence a failure gives (property-runner.ts judge): where, what, and what to do. */
export function domainText(c: Pick<DomainCall, 'x' | 'line' | 'count'> & { builtin: string }, file: string | undefined): string {
  const at = file ? `${file}:${c.line}` : `line ${c.line}`;
  const more = c.count > 1 ? ` (and ${c.count - 1} more such call${c.count > 2 ? 's' : ''})` : '';
  if (c.builtin === 'pack2x16float') {
    return `pack2x16float of ${Number(Math.fround(c.x).toPrecision(9))} at ${at}${more}: a value outside f16's finite range (±65504) makes the packed u32 indeterminate in WGSL, any value at all (the engines here happen to give one); clamp to ±65504 first`;
  }
  return `${c.builtin}(${Number(Math.fround(c.x).toPrecision(9))}) at ${at}${more}: WGSL bounds ${c.builtin}'s error on [−π, π] only and allows any value outside it, so this output is right only on engines whose ${c.builtin} is accurate there (these are; a GPU's fast ${c.builtin} need not be); reduce the argument into [−π, π] first (x - 2π·round(x / 2π), in a wider step if x is large), or bound the output as unbounded where the argument may be outside (sinCosBound gives Infinity there)`;
}
