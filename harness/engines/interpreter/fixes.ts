// Fixes to wgsl_reflect 1.6.0's interpreter, applied once to its exported classes' prototypes. The package ships one
// minified line (294,575 characters), so a patch-package diff of it would be the whole bundle twice, unreadable and
// void at the next release; these overrides are small, named, and each is written up against the upstream TypeScript
// source (src/...) in patches/README.md so that it can go upstream, with its reproducer in test/interpreter-cases/.
import {
  Alias, ArrayIndex, Assign, BinaryOperator, BitcastExpr, Break, CallExpr, Const, ConstExpr, CreateExpr, Diagnostic, Enable, For, LiteralExpr, Loop, MatrixData,
  MemberInfo, PointerData, Requires, ScalarData, StaticAssert, StringExpr, StructInfo, Switch, TemplateInfo, TypecastExpr, TypedData, UnaryOperator, VariableExpr, VectorData, While,
  WgslDebug, WgslExec, WgslReflect,
} from 'wgsl_reflect/wgsl_reflect.module.js';
import { fixParser } from './parser-fixes.ts';
import { noteCas } from './cas-retries.ts';
import { fixLiterals } from './literals.ts';
import { InterpreterUnsupported } from './unsupported.ts';

type Any = any;

/** The lane whose values a CallExpr's cached return value belongs to; set by the scheduler before each step. */
export const lanes = { current: 0, returns: [] as Map<object, unknown>[] };

let installed = false;

/**
 * Installs every fix, before any WGSL is parsed (a CallExpr made earlier keeps its own cachedReturnValue). Reaches the
 * builtins, whose class the package does not export, through a debugger of an empty module. Idempotent.
 */
export function installFixes(): void {
  if (installed) return;
  installed = true;
  fixLiterals();
  fixParser();
  const exec = new WgslDebug('').exec as Any;
  fixIntegerArithmetic(WgslExec.prototype as Any);
  fixCompoundAssignment(WgslExec.prototype as Any);
  fixFloatToInteger(WgslExec.prototype as Any);
  fixBitcastPostfix(WgslExec.prototype as Any);
  fixDerefCopies(WgslExec.prototype as Any);
  fixInferredVectors(WgslExec.prototype as Any);
  fixTemplateVectors();
  fixStructCopy(TypedData.prototype as Any);
  fixElementTypes(TypedData.prototype as Any, exec.getTypeInfo('u32'));
  fixBoolSize();
  fixSwizzleChains(VectorData.prototype as Any);
  fixStepping(WgslDebug.prototype as Any, exec.getTypeInfo('bool'));
  fixCallReturnValues();
  fixModuleDirectives(WgslExec.prototype as Any);
  fixArgumentScope(Object.getPrototypeOf(exec.context));
  fixAbstractVariables(Object.getPrototypeOf(exec.context), exec);
  fixBuiltins(Object.getPrototypeOf(exec.builtins), exec);
  fixSearch();
}

const INTEGER = /^(u32|i32|x32|vec[234][ui]|vec[234]<[ui]32>|atomic<[ui]32>)$/;
/** Per type (wgsl_reflect makes one TypeInfo per type): 0 not an integer, 1 signed, 2 unsigned. getTypeName() builds
 *  a string, and this is asked on every arithmetic operation. */
const integerKinds = new WeakMap<object, number>();
function integerKind(typeInfo: Any): number {
  let k = integerKinds.get(typeInfo);
  if (k === undefined) {
    const name = typeInfo.getTypeName();
    k = !INTEGER.test(name) ? 0 : /u/.test(name.replace(/^vec[234]/, '')) ? 2 : 1;
    integerKinds.set(typeInfo, k);
  }
  return k;
}
const isInteger = (d: Any) => d && (d instanceof ScalarData || d instanceof VectorData) && integerKind(d.typeInfo) !== 0;
const isUnsigned = (d: Any) => integerKind(d.typeInfo) === 2;

/** Holds an already computed operand, so the original operator code can run on it without evaluating it again. */
class Held extends LiteralExpr {}

/** An evaluated value as an expression node that evaluates to it (an index made 0: inner-bounds.ts). */
export const held = (value: unknown): LiteralExpr => new Held(value as Any, null as Any);

/** A call or constructor node whose arguments are these evaluated values: the original code runs on it without
 *  evaluating them again. */
function withHeldArgs(node: Any, args: unknown[]): Any {
  const h = Object.create(node);
  h.args = args.map(held);
  return h;
}

/** The components of scalar and vector values, in order. */
const componentsOf = (args: Any[]): number[] => args.flatMap((a: Any) => (a instanceof VectorData ? Array.from(a.data as ArrayLike<number>) : [a.value]));

/**
 * Binary `*`, `>>`, `<<`, `/` and `%` on 32-bit integers. Upstream computes in doubles and stores into a 32-bit array: a
 * u32 product past 2^53 loses its low bits (x * 2654435761u), `>>` sign-extends a u32 of 2^31 or more, `i << 31u`
 * takes the u32 type of its right operand (so a later `>> 29u` of it shifted in zeros: 4 where WGSL gives -4; a shift
 * has its left operand's type), and x / 0u gives 0 where WGSL gives x (and x % 0 gives 0 in both). WGSL integer arithmetic wraps modulo 2^32 (WGSL §8.7, "Arithmetic
 * Expressions"), which Math.imul and >>> do exactly.
 */
function fixIntegerArithmetic(proto: Any) {
  const original = proto._evalBinaryOpValue;
  const literal = proto._evalLiteral;
  proto._evalLiteral = function (node: Any, context: Any) {
    return node instanceof Held ? (node as Any).value : literal.call(this, node, context);
  };
  proto._evalBinaryOpValue = function (node: Any, context: Any) {
    const op = node.operator;
    if (op === '&&' || op === '||') return shortCircuit.call(this, node, context, original);
    if (op !== '*' && op !== '>>' && op !== '<<' && op !== '/' && op !== '%') return original.call(this, node, context);
    const l = this.evalExpression(node.left, context);
    const r = this.evalExpression(node.right, context);
    const value = integerOp(op, l, r) ?? (op === '*' ? matrixProduct(this, l, r) : undefined);
    if (value) return value;
    // What upstream computes for an f32 scalar on the left (its type wins: _maxFormatTypeInfo), without the copy of
    // the node that handing it the values takes.
    if ((op === '*' || op === '/') && l instanceof ScalarData && r instanceof ScalarData && l.typeInfo.name === 'f32') {
      return new ScalarData(op === '*' ? l.value * r.value : l.value / r.value, l.typeInfo);
    }
    const held = Object.create(node);
    held.left = new Held(l, null as Any);
    held.right = new Held(r, null as Any);
    return original.call(this, held, context);
  };
}

/**
 * Products with a matrix by WGSL's rules (§8.7 "Matrix Arithmetic"; matrices are column-major, matCxR has C columns of
 * R rows): m * v sums m's columns scaled by v, v * m dots v with each column of m (transpose(m) * v), m * n is
 * m * (column c of n) for each column c. Upstream's v * m indexed m row-major (a trial's colour conversion `v * M`
 * came out as M * v, and a correct `v * transpose(M)` failed), its m * n stored the result transposed, and both
 * products of a non-square matrix took the wrong vector type (mat2x3 * vec2 gave a vec2 of 3 values). Each sum runs
 * in f32, term by term in order: one of the orders WGSL allows. Undefined when neither operand is a matrix (or one is
 * a scalar: upstream's product, which is right).
 */
function matrixProduct(exec: Any, l: Any, r: Any): Any {
  // A matrix or vector is a value (MatrixData, VectorData) or a view of memory (TypedData: a uniform's or a storage
  // struct's member), read as upstream reads it (toArray: the columns without their padding).
  const kind = (d: Any): { values: number[]; mat?: [number, number]; vec?: number; suffix: string } | undefined => {
    if (!(d instanceof MatrixData || d instanceof VectorData || d instanceof TypedData)) return undefined;
    const name = d.typeInfo.getTypeName();
    const suffix = /f16|h$/.test(name) ? 'h' : 'f';
    const m = /^mat(\d)x(\d)/.exec(name);
    const v = /^vec(\d)/.exec(name);
    if (!m && !v) return undefined;
    const values = d instanceof TypedData ? (d as Any).toArray() : Array.from(d.data as ArrayLike<number>);
    return m ? { values, mat: [Number(m[1]), Number(m[2])], suffix } : { values, vec: Number(v![1]), suffix };
  };
  const a = kind(l);
  const b = kind(r);
  if (!a || !b || (!a.mat && !b.mat)) return undefined;
  const dot = (n: number, x: (k: number) => number, y: (k: number) => number) => {
    let sum = 0;
    for (let k = 0; k < n; k++) sum = Math.fround(sum + Math.fround(x(k) * y(k)));
    return sum;
  };
  const vector = (values: number[], suffix: string) => new VectorData(values, exec.getTypeInfo(`vec${values.length}${suffix}`));
  if (a.mat && b.vec !== undefined) {
    const [cols, rows] = a.mat;
    if (b.vec !== cols) return undefined;
    return vector(Array.from({ length: rows }, (_, i) => dot(cols, (j) => a.values[j * rows + i]!, (j) => b.values[j]!)), a.suffix);
  }
  if (b.mat && a.vec !== undefined) {
    const [cols, rows] = b.mat;
    if (a.vec !== rows) return undefined;
    return vector(Array.from({ length: cols }, (_, j) => dot(rows, (i) => a.values[i]!, (i) => b.values[j * rows + i]!)), b.suffix);
  }
  if (a.mat && b.mat) {
    const [k, rows] = a.mat;
    const [cols, k2] = b.mat;
    if (k !== k2) return undefined;
    const out = new Array<number>(cols * rows);
    for (let c = 0; c < cols; c++) for (let i = 0; i < rows; i++) out[c * rows + i] = dot(k, (t) => a.values[t * rows + i]!, (t) => b.values[c * k + t]!);
    return new MatrixData(out, exec.getTypeInfo(`mat${cols}x${rows}${a.suffix}`));
  }
  return undefined;
}

/**
 * `a && b` and `a || b` evaluate b only when a does not decide (WGSL §8.6, "Logical Expressions": short-circuiting).
 * Upstream evaluated both: `i == 0u || keys[i - 1u] != keys[i]` read keys[4294967295] (a false out-of-bounds). A call
 * of the kernel's own function there (`i < n && push(x[i])`) is made by the debugger before the statement, whatever
 * this decides: such a kernel is refused (unsupported.ts callInShortCircuit).
 */
function shortCircuit(this: Any, node: Any, context: Any, original: Any): Any {
  const l = this.evalExpression(node.left, context);
  if (l instanceof ScalarData && Boolean(l.value) === (node.operator === '||')) return l;
  const held = Object.create(node);
  held.left = new Held(l, null as Any);
  return original.call(this, held, context);
}

function integerOp(op: string, l: Any, r: Any): Any {
  if (!isInteger(l) || !isInteger(r)) return undefined;
  const vector = l instanceof VectorData ? l : r instanceof VectorData ? r : undefined;
  // An abstract-int literal (x32) takes the other operand's type, as WGSL's automatic conversion does.
  const shift = op === '>>' || op === '<<';
  const typed = vector ?? (!shift && l.typeInfo.name === 'x32' ? r : l);
  const unsigned = isUnsigned(shift ? l : typed);
  if (!vector) return new ScalarData(integerValue(op, l.value, r.value, unsigned), typed.typeInfo);
  const out: number[] = [];
  for (let i = 0; i < vector.data.length; i++) {
    out.push(integerValue(op, l instanceof VectorData ? l.data[i] : l.value, r instanceof VectorData ? r.data[i] : r.value, unsigned));
  }
  return new VectorData(out, vector.typeInfo);
}

function integerValue(op: string, a: number, b: number, unsigned: boolean): number {
  let v: number;
  if (op === '*') v = Math.imul(a, b);
  else if (op === '>>') v = unsigned ? a >>> (b & 31) : a >> (b & 31);
  else if (op === '<<') v = a << (b & 31);
  else if (b === 0) v = op === '/' ? a : 0;
  else if (op === '/') v = unsigned ? Math.trunc((a >>> 0) / (b >>> 0)) : (a === -2147483648 && b === -1 ? a : Math.trunc(a / b));
  else v = unsigned ? (a >>> 0) % (b >>> 0) : (a === -2147483648 && b === -1 ? 0 : a % b);
  return unsigned ? v >>> 0 : v | 0;
}

/**
 * A struct (or fixed-size array) assigned from an element of a storage array, `me = particles[i]`: upstream's setData
 * copied `value.buffer.byteLength` bytes from the start of the value's buffer, that is the whole storage buffer from
 * element 0, into the variable (a RangeError past the variable's end, or element 0's bytes). A new user's N-body step
 * was skipped as "wgsl_reflect failed". The value's own bytes are `typeInfo.size` from `value.offset`.
 */
function fixStructCopy(proto: Any) {
  const setData = proto.setData;
  proto.setData = function (this: Any, exec: Any, value: Any, typeInfo: Any, offset: number, context: Any) {
    if (value instanceof TypedData && sameType(typeInfo, (value as Any).typeInfo) && typeInfo.size > 0 && (typeInfo.isStruct || typeInfo.isArray)) {
      const n = typeInfo.size;
      const v = value as Any;
      new Uint8Array(this.buffer, offset, n).set(new Uint8Array(v.buffer, v.offset, n));
      return;
    }
    return setData.call(this, exec, value, typeInfo, offset, context);
  };
}

/**
 * Scalars read from memory with their own type. A bool element of an array (`var flags: array<bool, 4>; if
 * (flags[i])`) came back as raw TypedData, which no condition takes ("Condition must be a scalar, got bool": a skip);
 * it is read as a bool value over its bytes. And a member of a u32 vector in memory (`src[i].d.x`, d a vec2<u32>)
 * came back typed i32 over a Uint32Array, so `%`, `/`, `>>` and comparisons on it and on what was made from it ran
 * signed: `(src[i].d.x * pv) % 3u` gave 4294967294 (found by the random differential run); it is typed u32.
 */
function fixElementTypes(proto: Any, u32: Any) {
  const getSubData = proto.getSubData;
  proto.getSubData = function (this: Any, exec: Any, postfix: Any, context: Any) {
    const v = getSubData.call(this, exec, postfix, context);
    if (v instanceof TypedData && v !== this && (v as Any).typeInfo.name === 'bool') return scalarView(v);
    if (v instanceof ScalarData && v.data instanceof Uint32Array && v.typeInfo.name === 'i32') v.typeInfo = u32;
    return v;
  };
}

/** A postfix after a bitcast (`bitcast<vec4<u32>>(v).y`, `bitcast<vec2<f32>>(w)[i]`) applies to its value: upstream's
 *  `_evalBitcast` dropped it and gave the whole vector, which a builtin then read as 0 (`dot4U8Packed(a,
 *  bitcast<vec4<u32>>(vi).y)` was 0 where WGSL gives 251; found by the random differential run). */
function fixBitcastPostfix(proto: Any) {
  const evalBitcast = proto._evalBitcast;
  proto._evalBitcast = function (this: Any, node: Any, context: Any) {
    const v = evalBitcast.call(this, node, context);
    return v && node.postfix ? v.getSubData(this, node.postfix, context) : v;
  };
}

/** `var q = *p;` and `let v = *p;` hold a copy of the value p points at (WGSL §7.3, §7.4: a variable's initializer is a
 *  value). Upstream's `_var` and `_let` clone every initializer but a unary operator's, to keep `&x` a pointer, and
 *  so bound `*p` itself: q was another name for the caller's variable, and `q = q + 1u` changed it (a trial's correct
 *  helper failed on the interpreter, and a wrong one passed). The dereferenced value goes in as a held value, which
 *  they clone. */
function fixDerefCopies(proto: Any) {
  for (const method of ['_var', '_let']) {
    const declare = proto[method];
    proto[method] = function (this: Any, node: Any, context: Any) {
      if (!(node.value instanceof UnaryOperator) || node.value.operator !== '*') return declare.call(this, node, context);
      const copied = Object.create(node);
      copied.value = held(this.evalExpression(node.value, context));
      return declare.call(this, copied, context);
    };
  }
}

/** A swizzle followed by more (`v.wzyx.x`, `v.zw.y`, `(v.wzyx)[1]`) applies the rest to the swizzled vector. Upstream's
 *  VectorData.getSubData read every member after the first from the original vector (`this.data`, not the swizzle's
 *  value): `v.wzyx.x` was v.x, a wrong value (found by a random differential run against Dawn). One postfix at a time,
 *  each on the value the one before gave. */
function fixSwizzleChains(proto: Any) {
  const getSubData = proto.getSubData;
  proto.getSubData = function (this: Any, exec: Any, postfix: Any, context: Any) {
    if (!postfix?.postfix) return getSubData.call(this, exec, postfix, context);
    const first = Object.create(postfix);
    first.postfix = null;
    const head = getSubData.call(this, exec, first, context);
    return head ? head.getSubData(exec, postfix.postfix, context) : head;
  };
}

/** bool takes 4 bytes (WGSL §6.2.2 gives it no host-shareable layout; 4 is what every element needs to be apart).
 *  Upstream's table of sizes has no bool: a bool was 0 bytes, and every element of `array<bool, 4>` was one place,
 *  so `flags[(i + 1u) % 4u]` read flags[i] (a wrong value, not a skip). */
function fixBoolSize() {
  (WgslReflect as unknown as { _typeInfo: Record<string, { align: number; size: number }> })._typeInfo.bool = { align: 4, size: 4 };
}

/** The same WGSL type: upstream makes one TypeInfo per declaration, so `array<u32, 2>(8u, 9u)` stored into a variable
 *  declared `array<u32, 2>` was "Type mismatch array<u32, 2> array<u32, 2>" (a skip). */
const sameType = (a: Any, b: Any) => a === b || (a.size === b.size && a.getTypeName() === b.getTypeName());

/**
 * A postfix chain (`[i].pos[k]`) with every index already evaluated, as a new chain of the same nodes whose indices
 * are Held values. Upstream's TrackedTypedData evaluates an index for the tracker's record and again to access the
 * data (and the robust wrapper in dispatch.ts a third time, for its bounds check): an index with an effect,
 * `out[atomicAdd(&count[0], 1u)] = v` (stream compaction), counted three times: wrong slots, or a RangeError past the
 * buffer. WGSL evaluates it once.
 */
export function evaluatedOnce(postfix: Any, exec: Any, context: Any): Any {
  if (!postfix) return postfix;
  const copy = Object.assign(Object.create(Object.getPrototypeOf(postfix)), postfix);
  if (postfix instanceof ArrayIndex && !(postfix.index instanceof LiteralExpr)) {
    copy.index = new Held(exec.evalExpression(postfix.index, context), null as Any);
  }
  copy.postfix = evaluatedOnce(postfix.postfix, exec, context);
  return copy;
}

/**
 * The chain (indices evaluated, `evaluatedOnce`) with an index into a vector written as the component it names:
 * `px[i][2]` as `px[i].z`. Upstream's TypedData.setDataValue takes a component by name only and prints "Type vec4f is
 * not an array" for an index, so a kernel that writes one channel of a pixel by index was skipped. An index past the
 * vector's end is left as it is (upstream's message: skipped, not judged).
 */
export function componentsByName(postfix: Any, typeInfo: Any): Any {
  let t = typeInfo;
  for (let p = postfix; p && t; p = p.postfix) {
    if (p instanceof ArrayIndex) {
      if (t.isArray) {
        t = t.format;
        continue;
      }
      const n = /^vec([234])/.exec(t.getTypeName?.() ?? '');
      const k = Number((p.index as Any)?.value?.value);
      if (!n || !(p.index instanceof LiteralExpr) || !Number.isInteger(k) || k < 0 || k >= Number(n[1])) return postfix;
      const member = new StringExpr('xyzw'[k]!) as Any;
      member.postfix = p.postfix;
      return replaceIn(postfix, p, member);
    }
    if (!t.isStruct) return postfix;
    t = t.members?.find((m: Any) => m.name === (p as Any).value)?.type;
  }
  return postfix;
}

/** The chain with node `at` replaced by `by` (the chain is the caller's own copy). */
function replaceIn(chain: Any, at: Any, by: Any): Any {
  if (chain === at) return by;
  for (let p = chain; p; p = p.postfix) if (p.postfix === at) p.postfix = by;
  return chain;
}

/** The element suffix of each vector alias (vec2i is vec2<i32>). */
const ALIAS_SUFFIX: Record<string, string> = { f32: 'f', i32: 'i', u32: 'u', bool: 'b', f16: 'h' };

/**
 * Integer vectors: upstream names the type of vec2<i32> 'vec2' (and the alias vec2i too: its TemplateInfo is
 * ('vec2', i32)), and VectorData keeps a vector of that name in a Float32Array, so every component past 2^24 was
 * rounded: vec2<u32>(7u, 16777217u).y was 16777216, and vec2<i32>(s, ~s) for s = i32(0x80000000) gave (s, s).
 * A vector TemplateInfo with an element type is named as its alias (vec2i, vec4u: WGSL §6.2.6's predeclared
 * aliases), which every switch upstream already takes, so VectorData picks an Int32Array or a Uint32Array for it;
 * getTypeName() keeps the alias too (upstream's appended the element: 'vec2i<i32>').
 */
function fixTemplateVectors() {
  const proto = TemplateInfo.prototype as Any;
  const raw = Symbol('name');
  Object.defineProperty(proto, 'name', {
    configurable: true,
    get(this: Any) {
      const n = this[raw];
      const suffix = /^vec[234]$/.test(n) ? ALIAS_SUFFIX[this.format?.name] : undefined;
      return suffix ? n + suffix : n;
    },
    set(this: Any, v: string) {
      this[raw] = v;
    },
  });
  const getTypeName = proto.getTypeName;
  proto.getTypeName = function (this: Any) {
    return /^vec[234][fiubh]$/.test(this.name) ? this.name : getTypeName.call(this);
  };
}

/**
 * i32(x), u32(x), vecNi(v), vecNu(v) of a float: upstream stores the float into a 32-bit integer array, which wraps
 * (u32(-1.5) = 4294967295, i32(3e9) = -1294967296). WGSL rounds toward zero and clamps to the range of the target
 * that f32 can represent (WGSL §15.7.6 "Floating Point Conversion"): u32 to [0, 4294967040], i32 to
 * [-2147483648, 2147483520], as Dawn gives.
 */
function fixFloatToInteger(proto: Any) {
  const isFloat = (d: Any) => (d instanceof ScalarData || d instanceof VectorData) && /^(f32|f16|vec[234][fh]|vec[234]<f(32|16)>)$/.test(d.typeInfo.getTypeName());
  const convert = (unsigned: boolean) => (x: number) => {
    if (Number.isNaN(x)) return 0;
    const t = Math.trunc(x);
    return unsigned ? Math.min(4294967040, Math.max(0, t)) : Math.min(2147483520, Math.max(-2147483648, t));
  };
  const original = proto._evalCreate;
  proto._evalCreate = function (node: Any, context: Any) {
    const create = node instanceof CreateExpr;
    const name: string = create ? node.type?.getTypeName?.() ?? '' : node.name;
    const vector = /^vec([234])([iu]|<[iu]32>)$/.exec(name);
    if (!(vector || name === 'i32' || name === 'u32') || !node.args?.length) return original.call(this, node, context);
    const args = node.args.map((a: Any) => this.evalExpression(a, context));
    if (!args.some(isFloat)) return original.call(this, withHeldArgs(node, args), context);
    const c = convert(/u/.test(vector ? vector[2]! : name));
    const values = componentsOf(args);
    const typeInfo = this.getTypeInfo(create ? node.type : name);
    if (!vector) return new ScalarData(c(values[0]!), typeInfo);
    const n = Number(vector[1]);
    const v = new VectorData(values.length === 1 ? new Array(n).fill(c(values[0]!)) : values.map(c), typeInfo);
    // A CallExpr's access path is applied by _evalCall.
    return create && node.postfix ? v.getSubData(this, node.postfix, context) : v;
  };
}

/**
 * `vec4(q)`, `vec2(a, b)`: a vector constructor without its element type takes it from its arguments (WGSL §17.1.2
 * "Vector Constructors": the component type of the arguments, an abstract int concretized to i32). Upstream typed
 * every one f32, so an integer past 2^24 was rounded: a trial's correct `(vec4(q) >> sh) & vec4(15u)` unpacked wrong
 * nibbles from a packed u32 on the interpreter alone. The arguments are evaluated once; where the first that is not an
 * abstract int holds integers, the vector is built here as its alias type (vec4u, vec2i: §18 keeps their bits), else
 * upstream builds it from the held values, as f32 (where bools are 0 and 1, which all, any and select read right).
 */
function fixInferredVectors(proto: Any) {
  const original = proto._evalCreate;
  proto._evalCreate = function (node: Any, context: Any) {
    const type: Any = node instanceof CreateExpr ? node.type : undefined;
    const size = type && !type.format ? /^vec([234])$/.exec(type.name)?.[1] : undefined;
    if (!size || !node.args?.length) return original.call(this, node, context);
    const args = node.args.map((a: Any) => this.evalExpression(a, context));
    // The first argument that is not an abstract int gives the type; abstract ints alone give i32 (integerKind 1).
    const typed = args.find((a: Any) => a?.typeInfo?.name !== 'x32');
    const kind = typed ? integerKind(typed.typeInfo) : 1;
    if (!kind) return original.call(this, withHeldArgs(node, args), context);
    const values = componentsOf(args);
    const v = new VectorData(values.length === 1 ? new Array(Number(size)).fill(values[0]) : values, this.getTypeInfo(`vec${size}${kind === 2 ? 'u' : 'i'}`));
    return node.postfix ? v.getSubData(this, node.postfix, context) : v;
  };
}

/**
 * `a *= b`, `a >>= b`, `a /= b`, `a %= b` become `a = a op b`, so they go through the integer fixes above. And the
 * phony assignment `_ = e;` evaluates e and discards it (WGSL §9.2.2 "Phony Assignment"): upstream looked `_` up as a
 * variable and printed "Variable _ not found" (a new user's correct BFS step was not supported here).
 */
function fixCompoundAssignment(proto: Any) {
  const original = proto._assign;
  const desugared = new WeakMap<object, Assign>();
  proto._assign = function (node: Any, context: Any) {
    const v = node.variable;
    if (v instanceof VariableExpr && v.name === '_' && !v.postfix && node.operator === '=') {
      this.evalExpression(node.value, context);
      return;
    }
    const op = node.operator;
    if (op !== '*=' && op !== '>>=' && op !== '/=' && op !== '%=') return original.call(this, node, context);
    let plain = desugared.get(node);
    if (!plain) {
      const rhs = new BinaryOperator(op.slice(0, -1), node.variable, node.value);
      rhs.line = node.line;
      plain = new Assign('=' as Any, node.variable, rhs);
      plain.line = node.line;
      desugared.set(node, plain);
    }
    return original.call(this, plain, context);
  };
}

/**
 * Stepping (WgslDebug._createState), which lowers statements to commands:
 * - a `while` loop's closing jump re-tested the condition and fell through when it held, so the body ran at most
 *   once; it now jumps back to the condition;
 * - a loop's closing jump was unconditional, which the stepper runs without stopping, so a loop with an empty body
 *   ran inside one step and the step budget never stopped it (the process hung); it now carries a condition that is
 *   always false (a conditional jump ends the step);
 * - `for (;;)` threw a TypeError (the missing condition's jump was patched); it gets the condition `true`;
 * - declarations that make no command (alias, enable, requires, diagnostic) printed "TODO: statement type" each time
 *   a frame was built.
 */
/**
 * `enable` and `requires` printed "Invalid statement type." to the console whenever a module's scope was executed
 * (src/wgsl_exec.ts `_execStatements`, which returns early for struct, diagnostic and alias declarations but not for
 * these): twice on every run of a kernel with `enable subgroups;` and an `override`, whose workgroup size is
 * evaluated so (reflect.ts). WGSL puts directives before every declaration, so only a list that starts with one is
 * filtered: a function body's statements cost one instanceof.
 */
function fixModuleDirectives(proto: Any) {
  const original = proto._execStatements;
  // A const_assert (module or function scope) holds at shader creation, where the GPU engines check it; run, it does
  // nothing (upstream: "Invalid statement type.", with the node printed).
  const directive = (s: unknown) => s instanceof Enable || s instanceof Requires || s instanceof Diagnostic || s instanceof StaticAssert;
  const filtered = new WeakMap<object, Any[]>();
  proto._execStatements = function (statements: Any[], context: Any) {
    let run = filtered.get(statements);
    if (!run) filtered.set(statements, (run = statements.some(directive) ? statements.filter((s) => !directive(s)) : statements));
    return original.call(this, run, context);
  };
}

function fixStepping(proto: Any, bool: Any) {
  const original = proto._createState;
  const filtered = new WeakMap<object, unknown[]>();
  const loopBlocks = new WeakSet<object>();
  const always = new Held(new ScalarData(1, bool), null as Any);
  const never = new Held(new ScalarData(0, bool), null as Any);
  const quiet = (s: unknown) => !(s instanceof Alias || s instanceof Enable || s instanceof Requires || s instanceof Diagnostic || s instanceof StaticAssert);
  proto._createState = function (ast: Any[], context: Any, parent: Any) {
    let body = filtered.get(ast);
    if (!body) {
      body = ast.some((s) => !quiet(s)) ? ast.filter(quiet) : ast;
      // A for loop's own declaration was made in the enclosing block's scope, so `for (var i = ...)` overwrote an
      // outer `let i` for the rest of the block (trial 129 A2: a correct kernel read a[3] after an empty loop). As a
      // block of its own the loop's scope ends with it (WGSL §"for Statement": the initializer's scope is the loop).
      const declares = (s: unknown) => s instanceof For && ['var', 'let'].includes((s as Any).init?.astNodeType);
      if (!loopBlocks.has(ast) && body.some(declares)) {
        body = body.map((s) => {
          if (!declares(s)) return s;
          const block = [s];
          loopBlocks.add(block);
          return block;
        });
      }
      filtered.set(ast, body);
      for (const s of body) if (s instanceof For && (s as Any).condition === null) (s as Any).condition = always;
    }
    const cached = this._commandCache.has(body);
    const state = original.call(this, body, context, parent);
    if (!cached) {
      for (const s of body) if (s instanceof While || s instanceof For || s instanceof Loop) fixLoop(state.commands, s as Any, never);
    }
    return state;
  };
  // A step ends before a break or continue target (a switch's or loop's end), as before a statement: stepStack went on
  // past the target, and past the ends of blocks, into the next statement, so a barrier right after a switch ran
  // inside the step of the switch's last statement, and the scheduler never held the invocation there (dispatch.ts
  // schedulerBarriers looks past a target for the barrier).
  // Upstream's rule less its targets: only an unconditional goto (GotoCommand: condition and position) runs on in
  // the same step. One resolve of the state per step: this is the stepping loop's hot path.
  proto._shouldExecuteNextCommand = function (stack: Any) {
    const c = this._resolveState(stack ?? this._execStack)?.getCurrentCommand();
    return !!c && 'position' in c && c.condition === null;
  };
  // workgroupUniformLoad is a builtin, so it was evaluated inside its statement; collected as a call, it becomes a
  // command of its own at which the scheduler can hold the invocation, as at a barrier.
  const collect = proto._collectFunctionCalls;
  proto._collectFunctionCalls = function (node: Any, calls: Any[]) {
    collect.call(this, node, calls);
    if (node instanceof CallExpr && node.name === 'workgroupUniformLoad' && !calls.includes(node)) calls.push(node);
  };
}

/** The loop's targets are the commands holding only its id: the continue target first, the break target last. */
function fixLoop(commands: Any[], loop: Any, never: Any) {
  const targets = commands.flatMap((c, i) => (Object.keys(c).length === 1 && c.id === loop.id ? [i] : []));
  const end = targets[targets.length - 1]!;
  const back = commands[end - 1];
  if (loop instanceof While) back.position = targets[0];
  back.condition = never;
}

/**
 * A call's return value was cached on its AST node, shared by every invocation: in lock-step one invocation's
 * `let v = f(i);` could read the value another's call of f had just returned. It is now kept per invocation.
 */
/**
 * A call's arguments are evaluated in the caller's scope (WGSL §11.2, "Function Calls"). Upstream binds each
 * parameter as soon as its argument is evaluated, in the callee's new context (src/wgsl_debug.ts, both step-into
 * paths; src/wgsl_exec.ts `_call`, `_evalCall`, `_callBuiltinFunction`), so a later argument that names a caller's
 * variable of the same name as an earlier parameter reads the parameter: `fn put(i: u32, v: f32)` called as
 * `put(n - 1u - i, x[n - 1u - i])` read x at the callee's i (a new user's correct relu failed matches-reference on the
 * interpreter alone; `argument-scope.wgsl`). And `_call` and `_callBuiltinFunction` bind with setVariable, which
 * overwrote a caller's variable of the parameter's name. Here a context holds its parameters back until the last of
 * the function's is bound, then creates them all in itself: every argument is read before any parameter is visible,
 * and no caller variable is written. getFunction, which every call path asks first, notes each function's parameters.
 */
function fixArgumentScope(context: Any) {
  /** An Argument node (a function's parameter) -> how many parameters its function has. */
  const paramCount = new WeakMap<object, number>();
  const getFunction = context.getFunction;
  context.getFunction = function (this: Any, name: string) {
    const f = getFunction.call(this, name);
    const args: object[] | undefined = f?.node?.args;
    if (args?.length && !paramCount.has(args[0]!)) for (const a of args) paramCount.set(a, args.length);
    return f;
  };
  const createVariable = context.createVariable;
  context.createVariable = function (this: Any, name: string, value: unknown, node?: object) {
    const n = node && paramCount.get(node);
    if (n === undefined) return createVariable.call(this, name, value, node);
    const held: [string, unknown, object][] = (this.heldParameters ??= []);
    held.push([name, value, node!]);
    if (held.length < n) return undefined;
    this.heldParameters = undefined;
    // A value, not a view of the caller's memory: an argument read from memory (`cell[1].k`) was bound as a live
    // view of it, so a write through a pointer argument of the same call changed the parameter
    // (`twiddle(&cell[1], cell[1].k)` saw the k it had just written; found by the differential run).
    for (const [k, v, a] of held) createVariable.call(this, k, v instanceof PointerData || !(v as Any)?.clone ? v : (v as Any).clone(), a);
    return undefined;
  };
  const setVariable = context.setVariable;
  context.setVariable = function (this: Any, name: string, value: unknown, node?: object) {
    if (node && paramCount.has(node)) return this.createVariable(name, value, node);
    return setVariable.call(this, name, value, node);
  };
}

/**
 * A variable, `let` or parameter initialised from an abstract-int value (`var acc: i32 = 0;`, `var i = 3;`, `f(0)`)
 * kept the literal's storage: upstream's ScalarData holds an abstract int of 0 or more in a Uint32Array, so the
 * variable was unsigned ever after. `acc += k - 3` gave 4294967293, `for (var i = 3; i >= 0; i--)` never ended, and a
 * trial's int8 dot product (`var s: i32 = 0;`) failed on the interpreter alone. WGSL gives the variable its declared
 * type, or concretizes an abstract int to i32 and an abstract float to f32 (§6.2.1 "Abstract Numeric Types",
 * §7.3 "var Declarations"). Here the value is made one of that type before the variable is created; a `const` is left
 * abstract.
 */
function fixAbstractVariables(context: Any, exec: Any) {
  const CONCRETE = new Set(['i32', 'u32', 'f32', 'f16']);
  const createVariable = context.createVariable;
  context.createVariable = function (this: Any, name: string, value: Any, node?: Any) {
    // Not a `const` (or a value made with no declaration, as a module-scope const is): it stays abstract, as in WGSL
    // (`const WG = 256;` takes the type of what it meets), and the parser gives some an inferred i32 it did not declare.
    if (value instanceof ScalarData && value.typeInfo.name === 'x32' && node && !(node instanceof Const)) {
      const declared = node.type ? exec.getTypeInfo(node.type) : null;
      value = new ScalarData(value.value, declared && CONCRETE.has(declared.name) ? declared : exec.getTypeInfo(value.data instanceof Float32Array ? 'f32' : 'i32'));
    }
    return createVariable.call(this, name, value, node);
  };
}

/**
 * An AST node's `search`, which WgslReflect's `_findResources` walks to list the resources an entry point uses, skips
 * what follows a member access, an index, a call, a constructor or a parenthesised expression (`p.t[idx[i]]`,
 * `vec2f(a, b)[idx[i]]`), a switch's selector (`switch op[i]`) and a `break if` condition (patches/README.md §40).
 * Such a buffer was left out of the entry's resources: reflect.ts bound one binding fewer than Dawn's 'auto' layout
 * has (a bind-group error on every GPU engine), and the interpreter bound none for it. Each now searches them too.
 */
function fixSearch() {
  for (const C of [StringExpr, ArrayIndex, CallExpr, CreateExpr, ConstExpr, LiteralExpr, BitcastExpr, TypecastExpr, UnaryOperator, BinaryOperator]) {
    const proto = C.prototype as Any;
    const search = proto.search;
    proto.search = function (this: Any, callback: (n: unknown) => void) {
      search.call(this, callback);
      this.postfix?.search(callback);
    };
  }
  const switchSearch = (Switch.prototype as Any).search;
  (Switch.prototype as Any).search = function (this: Any, callback: (n: unknown) => void) {
    this.condition.search(callback);
    switchSearch.call(this, callback);
  };
  const breakSearch = (Break.prototype as Any).search;
  (Break.prototype as Any).search = function (this: Any, callback: (n: unknown) => void) {
    breakSearch.call(this, callback);
    this.condition?.search(callback);
  };
}

function fixCallReturnValues() {
  Object.defineProperty(CallExpr.prototype, 'cachedReturnValue', {
    configurable: true,
    get(this: object) {
      return lanes.returns[lanes.current]?.get(this) ?? null;
    },
    set(this: object, v: unknown) {
      let m = lanes.returns[lanes.current];
      if (!m) m = lanes.returns[lanes.current] = new Map();
      if (v === null) m.delete(this);
      else m.set(this, v);
    },
  });
}

function fixBuiltins(builtins: Any, exec: Any) {
  // workgroupUniformLoad(p) returned null ("Invalid value for variable"); it is a load of *p, made after the barrier
  // the scheduler holds every invocation at (dispatch.ts).
  // select(f, t, cond) evaluated only the argument it returned: `select(0u, x[i], i < n)` reads x[i] for every i in
  // WGSL (a call evaluates all its arguments), and an out-of-bounds read there went unseen (a false pass).
  const select = builtins.Select;
  builtins.Select = function (node: Any, context: Any) {
    return select.call(this, withHeldArgs(node, node.args.map((a: Any) => this.exec.evalExpression(a, context))), context);
  };

  builtins.WorkgroupUniformLoad = function (node: Any, context: Any) {
    const p = this.exec.evalExpression(node.args[0], context);
    const v = p?.reference ?? p;
    // A pointer to a scalar element (`&flags[0]`, a tracked view, dispatch.ts): a load of it, recorded.
    if (v instanceof TypedData && (v as Any).prefix !== undefined && scalarView(v)) return v.getSubData(this.exec, null, context);
    return v && typeof v.clone === 'function' ? v.clone() : v;
  };

  // atomicCompareExchangeWeak returned the old value alone, so `.exchanged` failed; WGSL returns the struct
  // __atomic_compare_exchange_result<T> { old_value: T, exchanged: bool } (WGSL §17.8.9). This one never fails
  // spuriously: "weak" allows a spurious failure, never requires one.
  const results = new Map<string, StructInfo>();
  const resultType = (t: Any) => {
    let s = results.get(t.name);
    if (!s) {
      s = new StructInfo(`__atomic_compare_exchange_result_${t.name}`, null);
      const old = new MemberInfo('old_value', t, null);
      old.offset = 0;
      old.size = 4;
      const exchanged = new MemberInfo('exchanged', exec.getTypeInfo('bool'), null);
      exchanged.offset = 4;
      exchanged.size = 4;
      s.members = [old, exchanged];
      s.size = 8;
      s.align = 4;
      results.set(t.name, s);
    }
    return s;
  };
  builtins.AtomicCompareExchangeWeak = function (node: Any, context: Any) {
    const p = this.exec.evalExpression(node.args[0], context);
    const target = p?.reference ?? p;
    const cmp = this.exec.evalExpression(node.args[1], context);
    const value = this.exec.evalExpression(node.args[2], context);
    if (!(target instanceof ScalarData) || !(cmp instanceof ScalarData) || !(value instanceof ScalarData)) {
      throw new Error(`atomicCompareExchangeWeak on ${target?.typeInfo?.getTypeName?.() ?? 'an unknown value'}`);
    }
    const old = target.value;
    const exchanged = old === cmp.value;
    // Recorded as a read (the value was taken from the pointee above, which records nothing), then where it succeeds
    // a write, as wgsl_reflect's read-modify-writes are: a store after a failed exchange is known to follow a read, and
    // a successful one's change is known from what it found (failed-exchanges.ts, lost-updates.ts).
    readBack(this.exec, node.args[0], context);
    if (exchanged) writeBack(this.exec, node.args[0], value, context);
    noteCas(lanes.current, node.line ?? 0, node.start ?? 0, cmp.value, old, exchanged);
    const bytes = new ArrayBuffer(8);
    const words = target.typeInfo.name === 'i32' ? new Int32Array(bytes) : new Uint32Array(bytes);
    words[0] = old;
    words[1] = exchanged ? 1 : 0;
    return new StructValue(bytes, resultType(target.typeInfo) as Any);
  };

  // An atomic builtin given a pointer parameter (`atomicAdd(p, 1u)` in `fn f(p: ptr<storage, atomic<u32>,
  // read_write>)`, the float-add helper of public libraries) read the pointer, not its pointee: "ScalarData2: Invalid
  // type r", or "TODO: bitcast for pointer" at a bitcast of its result (trial 126 B1), and a compare-exchange through it
  // wrote a copy. The call names the variable and element the pointer was taken of (`pointees`) instead, so it reads
  // and writes them, recorded as theirs.
  for (const name of ['AtomicLoad', 'AtomicStore', 'AtomicAdd', 'AtomicSub', 'AtomicMax', 'AtomicMin', 'AtomicAnd', 'AtomicOr', 'AtomicXor', 'AtomicExchange', 'AtomicCompareExchangeWeak']) {
    const original = builtins[name];
    builtins[name] = function (this: Any, node: Any, context: Any) {
      const source = pointeeOf(node.args?.[0], this.exec, context);
      if (!source) return original.call(this, node, context);
      const inner = context.clone();
      inner.createVariable(POINTEE, source.data);
      const pointee = new VariableExpr(POINTEE);
      pointee.postfix = source.chain as Any;
      const call = Object.create(node);
      call.args = [pointee, ...node.args.slice(1)];
      return original.call(this, call, inner);
    };
  }

  // round(x) rounded a half away from zero (Math.round, or toward +infinity for a negative half): round(2.5) gave 3
  // and round(-3.5) -3, where WGSL rounds a half to the even integer (§17.5 round: 2, -4). A new user's quantizer
  // failed on the interpreter alone.
  const round = builtins.Round;
  builtins.Round = function (this: Any, node: Any, context: Any) {
    const value = this.exec.evalExpression(node.args[0], context);
    if (value instanceof VectorData) return new VectorData(Array.from(value.data as ArrayLike<number>, roundHalfEven), value.typeInfo);
    if (value instanceof ScalarData) return new ScalarData(roundHalfEven(value.value), value.typeInfo);
    return round.call(this, node, context);
  };

  // pack4x8snorm and pack2x16snorm rounded 127·e (32767·e) and clamped the integer to [-128, 127] ([-32768, 32767]):
  // e = -1.5 packed -128, where WGSL clamps e to [-1, 1] first (§17.9 pack4x8snorm: ⌊0.5 + 127 × min(1, max(-1, e))⌋),
  // -127, as Dawn gives. Math.round(x) is ⌊x + 0.5⌋.
  const snorm = (scale: number) => (e: number) => Math.round(scale * Math.min(1, Math.max(-1, e)));
  const byte = snorm(127);
  const half = snorm(32767);
  builtins._packSnormByte = (e: number) => byte(e) & 0xff;
  const pack2x16snorm = builtins.Pack2x16snorm;
  builtins.Pack2x16snorm = function (this: Any, node: Any, context: Any) {
    const v = this.exec.evalExpression(node.args[0], context);
    if (!(v instanceof VectorData)) return pack2x16snorm.call(this, node, context);
    const d = v.data as ArrayLike<number>;
    return new ScalarData(((half(d[0]!) & 0xffff) | ((half(d[1]!) & 0xffff) << 16)) >>> 0, this.getTypeInfo('u32'));
  };

  fixBitBuiltins(builtins);
  fixResultStructBuiltins(builtins, exec);

  // dot() of integer vectors was summed in doubles and typed f32 whatever its arguments: dot(vec2<u32>(3000000000u, 1u),
  // vec2<u32>(3u, 1u)) gave 410065920, the exact 9000000001 rounded to f32 and wrapped, where WGSL gives 410065409
  // (§17.5 dot: T is the vectors' element type, integer arithmetic wraps). A new user's hash kernel failed there only.
  const dot = builtins.Dot;
  builtins.Dot = function (this: Any, node: Any, context: Any) {
    const l = this.exec.evalExpression(node.args[0], context);
    const r = this.exec.evalExpression(node.args[1], context);
    const kind = l instanceof VectorData && r instanceof VectorData ? integerKind(l.typeInfo) : 0;
    if (kind === 0) return dot.call(this, node, context);
    const a = l.data as ArrayLike<number>;
    const b = (r as Any).data as ArrayLike<number>;
    let sum = 0;
    for (let i = 0; i < a.length; i++) sum = (sum + Math.imul(a[i]!, b[i]!)) | 0;
    return new ScalarData(kind === 2 ? sum >>> 0 : sum, this.getTypeInfo(kind === 2 ? 'u32' : 'i32'));
  };

  // transpose(m) took only a matrix value: a uniform's or a storage struct's matrix (a view of memory) was "not
  // supported", and a non-square value was indexed past its end (mat2x3's read a 7th and 8th value). WGSL §17.5.63:
  // a matCxR gives the matRxC whose column i is m's row i. Values are column-major without padding, as matrixProduct
  // reads them.
  const transpose = builtins.Transpose;
  builtins.Transpose = function (this: Any, node: Any, context: Any) {
    const m = this.exec.evalExpression(node.args[0], context);
    const name: string = m instanceof MatrixData || m instanceof TypedData ? m.typeInfo.getTypeName() : '';
    const dims = /^mat(\d)x(\d)/.exec(name);
    if (!dims) return transpose.call(this, node, context);
    const [cols, rows] = [Number(dims[1]), Number(dims[2])];
    const v: ArrayLike<number> = m instanceof TypedData ? (m as Any).toArray() : (m as Any).data;
    const out = new Array<number>(cols * rows);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = v[j * rows + i]!;
    return new MatrixData(out, this.getTypeInfo(`mat${rows}x${cols}${/f16|h$/.test(name) ? 'h' : 'f'}`));
  };
}

/** Math.round rounds a half up; a half whose upper neighbour is odd goes down instead (x - r is exact below 2^52, and
 *  at 2^52 and beyond every f32 and f64 is an integer). round(-0.5) is -0, as Math.round gives. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * The integer bit builtins (WGSL §17.3 "Bit Reinterpretation" aside, §17.5 "Numeric Built-in Functions"), per
 * component and by the argument's signedness, which upstream ignored: extractBits of an i32 did not sign-extend and a
 * count of 32 gave 0 (1 << 32 is 1 in JavaScript), extractBits of a u32 was refused, insertBits with a count of 32
 * inserted nothing, firstLeadingBit of a negative i32 gave 31 where WGSL gives the highest 0 bit, firstTrailingBit of
 * bit 31 gave NaN (Math.log2 of a negative number), and countOneBits of a value with bit 31 set never returned (an
 * arithmetic shift of a negative number never reaches 0). A new user's int8 dot product failed on the interpreter only.
 */
function fixBitBuiltins(builtins: Any) {
  /** The builtin applied to each component of args[0] (a scalar or a vector), with its signedness; `rest` are the
   *  further arguments' values (scalars: offset, count; insertBits's newbits follows args[0]'s shape). */
  const perComponent = (f: (v: number, signed: boolean, i: number, rest: Any[]) => number) => function (this: Any, node: Any, context: Any) {
    const value = this.exec.evalExpression(node.args[0], context);
    const rest = node.args.slice(1).map((a: Any) => this.exec.evalExpression(a, context));
    const signed = integerKind(value.typeInfo) !== 2;
    const fix = (r: number) => (signed ? r | 0 : r >>> 0);
    if (value instanceof VectorData) return new VectorData(Array.from(value.data as ArrayLike<number>, (v, i) => fix(f(v, signed, i, rest))), value.typeInfo);
    return new ScalarData(fix(f((value as Any).value, signed, 0, rest)), value.typeInfo);
  };
  const scalar = (d: Any) => (d as Any).value >>> 0;
  const component = (d: Any, i: number) => (d instanceof VectorData ? (d.data as ArrayLike<number>)[i]! : (d as Any).value) >>> 0;
  /** WGSL's o = min(offset, 32) and c = min(count, 32 − o), and the c-bit mask. */
  const field = (offset: Any, count: Any) => {
    const o = Math.min(scalar(offset), 32);
    const c = Math.min(scalar(count), 32 - o);
    return { o, c, mask: c === 0 ? 0 : (2 ** c - 1) >>> 0 };
  };
  builtins.ExtractBits = perComponent((v, signed, _i, [offset, count]) => {
    const { o, c, mask } = field(offset, count);
    if (c === 0) return 0;
    const bits = ((v >>> 0) / 2 ** o) & mask; // / 2^o: >>> 32 would shift by 0
    return signed && c < 32 ? (bits << (32 - c)) >> (32 - c) : bits;
  });
  builtins.InsertBits = perComponent((v, _signed, i, [newbits, offset, count]) => {
    const { o, c, mask } = field(offset, count);
    if (c === 0) return v;
    const m = (mask * 2 ** o) >>> 0;
    return ((v & ~m) | ((component(newbits, i) * 2 ** o) & m)) >>> 0;
  });
  builtins.FirstLeadingBit = perComponent((v, signed) => {
    const x = signed && (v | 0) < 0 ? ~v : v >>> 0; // a negative i32: the highest 0 bit
    return x === 0 ? -1 : 31 - Math.clz32(x);
  });
  builtins.FirstTrailingBit = perComponent((v) => {
    const x = v >>> 0;
    return x === 0 ? -1 : 31 - Math.clz32((x & -x) >>> 0);
  });
  builtins.CountOneBits = perComponent((v) => {
    let x = v >>> 0;
    let n = 0;
    while (x) {
      x &= x - 1;
      n++;
    }
    return n;
  });
}

/**
 * frexp and modf return structs (WGSL §17.5.21, §17.5.38: `__frexp_result_f32 { fract: T, exp: i32 }` and
 * `__modf_result_f32 { fract: T, whole: T }`, for T f32 or vecN<f32>). Upstream returned a bare value, so `f.exp` and
 * `modf(x).fract` were refused ("Scalar data does not support postfix", or a TypeError): a trial's nrm2 with frexp
 * scaling lost every property on the interpreter. frexp(x) gives fract in [0.5, 1) with x's sign and x = fract ·
 * 2^exp (0 for x = 0); modf(x) gives trunc(x) and x − trunc(x), both with x's sign.
 */
function fixResultStructBuiltins(builtins: Any, exec: Any) {
  const structs = new Map<string, StructInfo>();
  const structOf = (name: string, members: [string, string][]) => {
    let s = structs.get(name);
    if (s) return s;
    s = new StructInfo(name, null);
    let offset = 0;
    let align = 4;
    s.members = members.map(([member, type]) => {
      const t = exec.getTypeInfo(type);
      const a = t.align ?? 4;
      offset = Math.ceil(offset / a) * a;
      const m = new MemberInfo(member, t, null);
      m.offset = offset;
      m.size = t.size;
      offset += t.size;
      align = Math.max(align, a);
      return m;
    });
    s.size = Math.ceil(offset / align) * align;
    s.align = align;
    structs.set(name, s);
    return s;
  };
  const frexp = (x: number): [number, number] => {
    if (x === 0 || !Number.isFinite(x)) return [x, 0];
    let e = Math.floor(Math.log2(Math.abs(x))) + 1;
    let f = x / 2 ** e;
    // log2 may be off by one at a power of two's edge: bring |f| into [0.5, 1).
    if (Math.abs(f) >= 1) (f /= 2, e++);
    else if (Math.abs(f) < 0.5) (f *= 2, e--);
    return [f, e];
  };
  const call = (name: string, members: (n: number) => [string, string][], parts: (x: number) => [number, number], words: (n: number) => [Float32Array | Int32Array, Float32Array | Int32Array]) =>
    function (this: Any, node: Any, context: Any) {
      const v = this.exec.evalExpression(node.args[0], context);
      const xs: number[] = v instanceof VectorData ? Array.from(v.data as ArrayLike<number>) : v instanceof ScalarData ? [v.value as number] : [];
      if (!xs.length || !/f32|f$/.test(v.typeInfo.getTypeName())) throw new InterpreterUnsupported(`${name} of ${v?.typeInfo?.getTypeName?.() ?? 'this argument'}`, node.line);
      const n = v instanceof VectorData ? xs.length : 1;
      const type = structOf(`__${name}_result${n > 1 ? `_vec${n}` : ''}_f32`, members(n));
      const bytes = new ArrayBuffer(type.size);
      const [first, second] = words(n);
      const a = new (first.constructor as Float32ArrayConstructor)(bytes, type.members[0]!.offset, n);
      const b = new (second.constructor as Int32ArrayConstructor)(bytes, type.members[1]!.offset, n);
      xs.forEach((x, i) => ([a[i], b[i]] = parts(x)));
      return new StructValue(bytes, type as Any);
    };
  const t = (n: number, scalar: 'f32' | 'i32') => (n > 1 ? `vec${n}${scalar[0]}` : scalar);
  builtins.Frexp = call('frexp', (n) => [['fract', t(n, 'f32')], ['exp', t(n, 'i32')]], frexp, () => [new Float32Array(0), new Int32Array(0)]);
  builtins.Modf = call('modf', (n) => [['fract', t(n, 'f32')], ['whole', t(n, 'f32')]], (x) => [x - Math.trunc(x), Math.trunc(x)], () => [new Float32Array(0), new Float32Array(0)]);
}

/** A struct value whose scalar members read as values (upstream gives a bool member as raw TypedData). */
class StructValue extends TypedData {
  override getSubData(exec: Any, postfix: Any, context: Any): Any {
    const v = super.getSubData(exec, postfix, context);
    return (v instanceof TypedData && v !== this && scalarView(v)) || v;
  }

  override clone(): Any {
    return new StructValue(this.buffer.slice(0), this.typeInfo);
  }
}

/** A scalar or vector variable's value as a live view of its bytes (as TypedData.getSubData gives an element). */
export function scalarView(d: TypedData): ScalarData | VectorData | undefined {
  const t = d.typeInfo as unknown as { name: string; format?: { name: string } | null; getTypeName(): string };
  const name = t.name === 'atomic' ? t.format?.name : t.getTypeName();
  const Array32 = (s: string | undefined) => (s === undefined ? undefined : /f/.test(s) ? Float32Array : /u/.test(s) ? Uint32Array : /i|bool/.test(s) ? Int32Array : undefined);
  if (name === 'f32' || name === 'u32' || name === 'i32' || name === 'bool') {
    const A = Array32(name)!;
    return new ScalarData(new A(d.buffer, d.offset, 1), (t.name === 'atomic' ? t.format : t) as never, d);
  }
  const vec = /^vec([234])(<(\w+)>|([fiu]))$/.exec(name ?? '');
  if (vec) {
    const A = Array32(vec[3] ?? vec[4]);
    if (A) return new VectorData(new A(d.buffer, d.offset, Number(vec[1])), t as never, d);
  }
  return undefined;
}

/**
 * The variable data and chain an atomic builtin's first argument names through a pointer, or undefined where it names
 * a variable itself: `p` (a pointer to the atomic, `pointees`), and an element of what a pointer to an array or a
 * struct holds, `&(*a)[i]`, `&a[i]`, `&(*b).count` (trial 132 A4: upstream indexed a copy, and the update was lost).
 */
export function pointeeOf(arg: Any, exec: Any, context: Any): { data: unknown; chain: unknown } | undefined {
  if (arg instanceof VariableExpr && !arg.postfix) {
    const held = context.getVariable(arg.name)?.value;
    return held instanceof PointerData ? pointees.get(held) : undefined;
  }
  if (!(arg instanceof UnaryOperator) || (arg as Any).operator !== '&') return undefined;
  const r = (arg as Any).right;
  const [name, postfix] = r instanceof UnaryOperator && (r as Any).operator === '*' && (r as Any).right instanceof VariableExpr && !(r as Any).right.postfix
    ? [(r as Any).right.name, (r as Any).postfix] : r instanceof VariableExpr && r.postfix ? [r.name, r.postfix] : [undefined, undefined];
  const held = name && postfix ? context.getVariable(name)?.value : undefined;
  if (!(held instanceof PointerData)) return undefined;
  // A pointer to an element that is itself an array or struct (`&(*s).n` passed on, trial 137 A4): its chain, then
  // this one.
  const inner = pointees.get(held);
  if (inner) return { data: inner.data, chain: appendChain(inner.chain, evaluatedOnce(postfix, exec, context)) };
  // A pointer to a whole array or struct holds a tracked view of it (dispatch.ts installPointerViews).
  if (!(held.reference instanceof TypedData)) return undefined;
  return { data: held.reference, chain: evaluatedOnce(postfix, exec, context) };
}

/** Chain `b` after chain `a` (postfix lists: `.n`, then `[j]`), `a` copied. */
function appendChain(a: Any, b: Any): Any {
  if (!a) return b;
  const copy = Object.assign(Object.create(Object.getPrototypeOf(a)), a);
  copy.postfix = appendChain(a.postfix, b);
  return copy;
}

/** The name under which an atomic builtin given a pointer parameter finds the variable it points into. */
const POINTEE = '_ks_pointee';

/** What a pointer to an atomic was taken of (`&cnt[i]`, `&local`): the variable's data and the element's chain, its
 *  indices evaluated (dispatch.ts installPointerViews sets it; upstream's pointer holds a copy of the value). */
export const pointees = new WeakMap<object, { data: unknown; chain: unknown }>();

/** Stores value through the pointer expression `&target` (its variable and access path), as the atomics do upstream. */
function writeBack(exec: Any, pointer: Any, value: Any, context: Any) {
  const l = pointer.operator === '&' ? pointer.right : pointer;
  const ref = context.getVariable(exec.getVariableName(l, context));
  ref.value.setDataValue(exec, value, l.postfix, context);
}

/** The read of `pointer`'s pointee, made through its variable so that the tracker records it. */
function readBack(exec: Any, pointer: Any, context: Any) {
  const l = pointer.operator === '&' ? pointer.right : pointer;
  const ref = context.getVariable(exec.getVariableName(l, context));
  ref.value.getSubData?.(exec, l.postfix, context);
}
