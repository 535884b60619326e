// Random WGSL compute programs whose results WGSL fixes exactly (32-bit integer arithmetic, bit builtins, control
// flow, vectors, structs, workgroup atomics after barriers, and f32 arithmetic on values that stay exact), for the
// differential test of the interpreter against Dawn (interpreter-fuzz.test.ts). Each program runs one workgroup of
// N invocations over x: array<u32, N> and writes `words` u32s per invocation to y. Literals are made runtime values
// (`(5u | zu)`, zu a runtime 0) where a constant expression could overflow or divide by zero, which WGSL makes a
// compile error; a program Dawn still refuses is counted and left out by the test.
import fc from 'fast-check';

export const N = 8;
/** Edge values of u32 (and, bitcast, of i32). */
const EDGE = [0, 1, 2, 3, 5, 7, 31, 32, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff];
type T = 'u32' | 'i32';
const lit = (t: T, v: number) => (t === 'u32' ? `${v >>> 0}u` : (v | 0) === -2147483648 ? 'i32(-2147483647 - 1)' : `${v | 0}i`);
const runtime = (t: T, v: number) => `(${lit(t, v)} | ${t === 'u32' ? 'zu' : 'zi'})`;
const ZERO_DIVISOR = /^(0[ui]|i32\(-2147483647 - 1\))$/;
const CMP = ['<', '<=', '==', '!=', '>', '>='] as const;

export interface Program {
  code: string;
  /** u32 words each invocation writes. */
  words: number;
  /** With `src: array<Rec>` (bound at 2, RECS of them, filled from x) and `dst: array<Rec>` (3, N of them). */
  recs?: boolean;
}

/** x's values: edges, any u32, small ones. */
export const inputs = fc.array(fc.oneof(fc.constantFrom(...EDGE), fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 64 })), { minLength: N, maxLength: N });

/** An integer expression of type t over the scalars in `leaves`. */
function integer(t: T, depth: number, leaves: Record<T, string[]>): fc.Arbitrary<string> {
  const leaf = fc.oneof({ arbitrary: fc.constantFrom(...leaves[t]), weight: 3 }, { arbitrary: fc.constantFrom(...EDGE).map((v) => runtime(t, v)), weight: 1 });
  if (depth <= 0) return leaf;
  const sub = () => integer(t, depth - 1, leaves);
  const u = () => integer('u32', depth - 1, leaves);
  const raw = fc.constantFrom(...EDGE).map((v) => lit(t, v));
  const unary = t === 'i32' ? ['abs', '-', '~'] : ['~'];
  return fc.oneof(
    { arbitrary: leaf, weight: 2 },
    { arbitrary: fc.tuple(sub(), fc.constantFrom('+', '-', '*', '/', '%', '&', '|', '^'), sub()).map(([a, op, b]) => `(${a} ${op} ${b})`), weight: 4 },
    { arbitrary: fc.tuple(sub(), fc.constantFrom('+', '-', '*', '/', '%', '&', '|', '^'), raw).filter(([, op, k]) => !((op === '/' || op === '%') && ZERO_DIVISOR.test(k))).map(([a, op, k]) => `(${a} ${op} ${k})`), weight: 1 },
    { arbitrary: fc.tuple(sub(), fc.constantFrom('<<', '>>'), u()).map(([a, op, b]) => `(${a} ${op} (${b}))`), weight: 2 },
    { arbitrary: fc.tuple(sub(), fc.constantFrom('<<', '>>'), fc.integer({ min: 0, max: 31 })).map(([a, op, k]) => `(${a} ${op} ${k}u)`), weight: 1 },
    { arbitrary: fc.tuple(fc.constantFrom('countOneBits', 'reverseBits', 'firstLeadingBit', 'firstTrailingBit', 'countLeadingZeros', 'countTrailingZeros', ...unary), sub()).map(([f, a]) => (f === '-' || f === '~' ? `(${f}${a})` : `${f}(${a})`)), weight: 2 },
    { arbitrary: fc.tuple(fc.constantFrom('min', 'max'), sub(), sub()).map(([f, a, b]) => `${f}(${a}, ${b})`), weight: 1 },
    { arbitrary: fc.tuple(sub(), sub(), sub()).map(([a, b, c]) => `clamp(${a}, min(${b}, ${c}), max(${b}, ${c}))`), weight: 1 },
    { arbitrary: fc.tuple(sub(), fc.integer({ min: 0, max: 31 }), fc.integer({ min: 0, max: 32 })).map(([a, o, n]) => `extractBits(${a}, ${o}u, ${Math.min(n, 32 - o)}u)`), weight: 1 },
    { arbitrary: fc.tuple(sub(), sub(), fc.integer({ min: 0, max: 31 }), fc.integer({ min: 0, max: 32 })).map(([a, b, o, n]) => `insertBits(${a}, ${b}, ${o}u, ${Math.min(n, 32 - o)}u)`), weight: 1 },
    { arbitrary: fc.tuple(sub(), sub(), sub(), fc.constantFrom(...CMP), sub()).map(([a, b, p, c, q]) => `select(${a}, ${b}, ${p} ${c} ${q})`), weight: 2 },
    { arbitrary: fc.tuple(fc.constantFrom<T>('u32', 'i32'), integer(t === 'u32' ? 'i32' : 'u32', depth - 1, leaves)).map(([, a]) => (t === 'u32' ? `bitcast<u32>(${a})` : `i32(${a})`)), weight: 1 },
  );
}

const HEAD = `@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read_write> y: array<u32>;
`;
const indent = (lines: string[], by = '  ') => lines.map((l) => by + l);

/** Straight-line lets of integer expressions (found: `i << 31u` typed u32, so a `>>` after it shifted in zeros). */
export const integerExpressions: fc.Arbitrary<Program> = fc.integer({ min: 1, max: 4 }).chain((n) => {
  type Lines = { lines: string[]; leaves: Record<T, string[]>; last: string };
  let arb: fc.Arbitrary<Lines> = fc.constant({ lines: [], leaves: { u32: ['a', 'i'], i32: ['b'] }, last: 'a' });
  for (let k = 0; k < n; k++) {
    arb = arb.chain((s) => fc.tuple(fc.constantFrom<T>('u32', 'i32'), fc.integer({ min: 1, max: 3 })).chain(([t, d]) => integer(t, d, s.leaves).map((e) => ({
      lines: [...s.lines, `let v${k}: ${t} = ${e};`],
      leaves: { ...s.leaves, [t]: [...s.leaves[t], `v${k}`] },
      last: t === 'u32' ? `v${k}` : `bitcast<u32>(v${k})`,
    }))));
  }
  return arb.map((s) => ({ words: 1, code: `${HEAD}@compute @workgroup_size(${N})
fn main(@builtin(local_invocation_index) i: u32) {
  let a = x[i];
  let b = bitcast<i32>(x[(i + 3u) % ${N}u]);
  let zu = x[0] & 0u;
  let zi = bitcast<i32>(zu);
${indent(s.lines).join('\n')}
  y[i] = ${s.last};
}
` }));
});

const STATEMENT_LEAVES: Record<T, string[]> = { u32: ['a', 'su', 'q.x', 'q.w', 'q[i % 4u]', 'arr[i % 5u]', 'arr[su % 5u]', 'u32(w.y)', 'i', 'q.wzyx.y'], i32: ['b', 'si', 'w.x', 'w[i % 2u]', 'i32(q.y)', 'bitcast<i32>(arr[2])'] };

/** Assignments (compound ones too), if/else, for with break and continue, switch, a pointer parameter, vectors and a
 *  local array (found: a switch case ran its first two statements only). */
function statements(depth: number, inLoop: boolean): fc.Arbitrary<string[]> {
  const e = (t: T, d: number) => integer(t, d, STATEMENT_LEAVES);
  const arms: fc.Arbitrary<string[]>[] = [
    fc.tuple(fc.constantFrom('su', 'si'), fc.constantFrom('=', '+=', '-=', '*=', '^=', '|=', '&=', '<<=', '>>=', '/=', '%=')).chain(([v, op]) =>
      (op === '<<=' || op === '>>=' ? e('u32', 2) : e(v === 'su' ? 'u32' : 'i32', 2)).map((x) => [`${v} ${op} ${x};`])),
    fc.tuple(fc.integer({ min: 0, max: 3 }), e('u32', 2)).map(([k, x]) => [`q[${k}] = ${x};`]),
    fc.tuple(fc.constantFrom('q.yx', 'q.zw', 'q.wx'), e('u32', 1)).map(([sw, x]) => [`q = vec4<u32>(${sw}, ${x}, q.y);`]),
    e('i32', 2).map((x) => [`w = w.yx + vec2<i32>(${x}, 1i);`]),
    fc.tuple(e('u32', 1), e('u32', 2)).map(([k, x]) => [`arr[(${k}) % 5u] = ${x};`]),
    e('u32', 1).map((x) => [`bump(&su, ${x});`]),
    fc.constant(['q = q.wzyx;']),
  ];
  if (depth > 0) {
    arms.push(
      fc.tuple(e('u32', 1), fc.constantFrom(...CMP), e('u32', 1), statements(depth - 1, inLoop), statements(depth - 1, inLoop)).map(([a, c, b, t, f]) => [`if (${a} ${c} ${b}) {`, ...indent(t), '} else {', ...indent(f), '}']),
      fc.tuple(fc.integer({ min: 0, max: 4 }), statements(depth - 1, true)).map(([n, body]) => [`for (var k${depth}: u32 = 0u; k${depth} < ${n}u + (i % 2u); k${depth}++) {`, ...indent(body), '}']),
      fc.tuple(e('u32', 1), statements(depth - 1, inLoop), statements(depth - 1, inLoop)).map(([s, p, d]) => [`switch ((${s}) % 4u) {`, '  case 0u, 2u: {', ...indent(p, '    '), '  }', '  case 3u: {', '    su += 1u;', '  }', '  default: {', ...indent(d, '    '), '  }', '}']),
    );
  }
  if (inLoop) arms.push(fc.tuple(e('u32', 1), fc.constantFrom('break', 'continue')).map(([c, k]) => [`if ((${c}) % 3u == 0u) {`, `  ${k};`, '}']));
  return fc.array(fc.oneof(...arms), { minLength: 1, maxLength: 4 }).map((xs) => xs.flat());
}

export const integerStatements: fc.Arbitrary<Program> = statements(2, false).map((lines) => ({ words: 1, code: `${HEAD}fn bump(p: ptr<function, u32>, v: u32) {
  *p = (*p ^ v) + 1u;
}
@compute @workgroup_size(${N})
fn main(@builtin(local_invocation_index) i: u32) {
  let a = x[i];
  let b = bitcast<i32>(x[(i + 3u) % ${N}u]);
  let zu = x[0] & 0u;
  let zi = bitcast<i32>(zu);
  var su: u32 = a;
  var si: i32 = b;
  var q = vec4<u32>(a, x[(i + 1u) % ${N}u], 7u, a ^ 0xffu);
  var w = vec2<i32>(b, -3i);
  var arr = array<u32, 5>(1u, a, 3u, 4u, x[7]);
${indent(lines).join('\n')}
  y[i] = su ^ bitcast<u32>(si) ^ (q.x + q.y * 3u + q.z * 5u + q.w * 7u) ^ bitcast<u32>(w.x * 11i + w.y) ^ (arr[0] + arr[1] * 13u + arr[2] * 17u + arr[3] * 19u + arr[4] * 23u);
}
` }));

// Structs, helpers with early returns, every loop form, vector arithmetic, workgroup atomics, exact f32.
const U = (d: number): fc.Arbitrary<string> => {
  const leaf = fc.oneof(fc.constantFrom('a', 's.u', 'acc', 'v.x', 'v[i % 4u]', 'cell[i % 2u].k', 'h(a)', 'u32(s.f)', 'wg[(i + 1u) % 8u]', 'i', '(v.wzyx).y'), fc.constantFrom(...EDGE).map((v) => runtime('u32', v)));
  if (d <= 0) return leaf;
  return fc.oneof(
    { arbitrary: leaf, weight: 2 },
    { arbitrary: fc.tuple(U(d - 1), fc.constantFrom('+', '-', '*', '&', '|', '^', '/', '%'), U(d - 1)).map(([a, o, b]) => `(${a} ${o} ${b})`), weight: 3 },
    { arbitrary: fc.tuple(V(d - 1), fc.constantFrom('x', 'y', 'z', 'w')).map(([v, c]) => `(${v}).${c}`), weight: 1 },
    { arbitrary: V(d - 1).map((v) => `dot(${v}, vec4<u32>(1u, 3u, 5u, 7u))`), weight: 1 },
    { arbitrary: fc.tuple(U(d - 1), U(d - 1)).map(([a, b]) => `g(${a}, ${b})`), weight: 1 },
    { arbitrary: F(d - 1).map((f) => `u32(clamp(${f}, 0.0, 4000000000.0))`), weight: 1 },
    { arbitrary: V(d - 1).map((v) => `(select(1u, 2u, any(${v} > vec4<u32>(9u))) + select(0u, 4u, all(${v} != vec4<u32>(0u))))`), weight: 1 },
  );
};
const V = (d: number): fc.Arbitrary<string> => {
  const leaf = fc.constantFrom('v', 'v.wzyx', 'vec4<u32>(a, acc, i, 7u)', 's.w', 'cell[0].m', 'vec4<u32>(v.xy, v.zz)');
  if (d <= 0) return leaf;
  return fc.oneof(
    { arbitrary: leaf, weight: 2 },
    { arbitrary: fc.tuple(V(d - 1), fc.constantFrom('+', '-', '*', '&', '^', '/', '%', '<<', '>>'), V(d - 1)).map(([a, o, b]) => (o === '<<' || o === '>>' ? `(${a} ${o} (${b} & vec4<u32>(31u)))` : `(${a} ${o} ${b})`)), weight: 3 },
    { arbitrary: fc.tuple(V(d - 1), fc.constantFrom('*', '/', '+', '%'), U(d - 1)).map(([a, o, b]) => `(${a} ${o} ${b})`), weight: 1 },
    { arbitrary: fc.tuple(V(d - 1), V(d - 1), V(d - 1)).map(([a, b, c]) => `select(${a}, ${b}, ${c} > vec4<u32>(3u))`), weight: 1 },
    { arbitrary: fc.tuple(fc.constantFrom('countOneBits', 'reverseBits', 'firstLeadingBit', 'countLeadingZeros', 'min(v, ', 'max(v, '), V(d - 1)).map(([f, a]) => (f.endsWith(', ') ? `${f}${a})` : `${f}(${a})`)), weight: 1 },
  );
};
/** f32 values that stay exact: small integers and quarters, their +, -, *, and floor, ceil, trunc, abs, fract, sign,
 *  round, min, max, step of them (each correctly rounded in WGSL, so exact here). */
const F = (d: number): fc.Arbitrary<string> => {
  const leaf = fc.oneof(fc.constantFrom('s.f', 'f32(a % 1000u)', 'f32(i) * 0.5', 'fv.x', 'fv.y'), fc.constantFrom('0.5', '-2.0', '3.25', '1024.0', '-0.75').map((c) => `(${c} + fz)`));
  if (d <= 0) return leaf;
  return fc.oneof(
    { arbitrary: leaf, weight: 2 },
    { arbitrary: fc.tuple(F(d - 1), fc.constantFrom('+', '-', '*'), F(d - 1)).map(([a, o, b]) => `(${a} ${o} ${b})`), weight: 3 },
    { arbitrary: fc.tuple(fc.constantFrom('floor', 'ceil', 'trunc', 'abs', 'fract', 'sign', 'round'), F(d - 1)).map(([f, a]) => `${f}(${a})`), weight: 2 },
    { arbitrary: fc.tuple(fc.constantFrom('min', 'max', 'step'), F(d - 1), F(d - 1)).map(([f, a, b]) => `${f}(${a}, ${b})`), weight: 1 },
    { arbitrary: fc.tuple(F(d - 1), F(d - 1), F(d - 1)).map(([a, b, c]) => `select(${a}, ${b}, ${c} < 1.0)`), weight: 1 },
  );
};

function structured(depth: number, inLoop: boolean): fc.Arbitrary<string[]> {
  const arms: fc.Arbitrary<string[]>[] = [
    fc.tuple(fc.constantFrom('acc', 's.u', 'cell[i % 2u].k', 'v[(i + 2u) % 4u]', 'v.y'), fc.constantFrom('=', '+=', '^=', '*=', '|='), U(2)).map(([l, o, x]) => [`${l} ${o} ${x};`]),
    fc.tuple(fc.constantFrom('v', 's.w', 'cell[1].m'), fc.constantFrom('=', '+=', '^=', '*='), V(2)).map(([l, o, x]) => [`${l} ${o} ${x};`]),
    fc.tuple(fc.constantFrom('s.f', 'fv.x', 'fv.y'), fc.constantFrom('=', '+=', '*=', '-='), F(2)).map(([l, o, x]) => [`${l} ${o} clamp(${x}, -100000.0, 100000.0);`]),
    U(1).map((x) => [`atomicAdd(&hits[(${x}) % 4u], 1u);`]),
    U(1).map((x) => [`twiddle(&c0, ${x});`]),
    U(1).map((x) => [`twiddle(&cell[i % 2u], ${x});`]),
    fc.constant(['s = swapped(s);']),
  ];
  if (depth > 0) {
    arms.push(
      fc.tuple(U(1), structured(depth - 1, inLoop), structured(depth - 1, inLoop)).map(([c, t, f]) => [`if ((${c}) % 3u == 1u) {`, ...indent(t), '} else {', ...indent(f), '}']),
      fc.tuple(fc.integer({ min: 0, max: 3 }), structured(depth - 1, true)).map(([n, body]) => [`for (var k${depth} = 0u; k${depth} < ${n}u + i % 2u; k${depth}++) {`, ...indent(body), '}']),
      fc.tuple(fc.integer({ min: 1, max: 3 }), structured(depth - 1, true)).map(([n, body]) => [`{`, `  var t${depth} = 0u;`, `  while (t${depth} < ${n}u) {`, `    t${depth}++;`, ...indent(body, '    '), '  }', '}']),
      fc.tuple(fc.integer({ min: 1, max: 3 }), structured(depth - 1, true)).map(([n, body]) => [`{`, `  var c${depth} = 0u;`, '  loop {', ...indent(body, '    '), `    continuing {`, `      c${depth}++;`, `      break if c${depth} >= ${n}u;`, '    }', '  }', '}']),
      fc.tuple(U(1), structured(depth - 1, inLoop), structured(depth - 1, inLoop)).map(([c, p, d]) => [`switch ((${c}) % 3u) {`, '  case 0u: {', ...indent(p, '    '), '  }', '  default: {', ...indent(d, '    '), '  }', '}']),
    );
  }
  if (inLoop) arms.push(fc.tuple(U(1), fc.constantFrom('break', 'continue')).map(([c, k]) => [`if ((${c}) % 4u == 0u) {`, `  ${k};`, '}']));
  return fc.array(fc.oneof(...arms), { minLength: 1, maxLength: 4 }).map((xs) => xs.flat());
}

/** Found: a barrier after a switch held no invocation, a postfix after a swizzle or parentheses read the wrong
 *  component, a continue in a switch was refused, and an argument read from memory was a live view of it. */
export const structsAndBarriers: fc.Arbitrary<Program> = structured(2, false).map((lines) => ({ words: 3, code: `${HEAD}struct S { u: u32, f: f32, w: vec4<u32>, b: bool }
struct Cell { k: u32, m: vec4<u32> }
var<workgroup> wg: array<u32, ${N}>;
var<workgroup> hits: array<atomic<u32>, 4>;
fn h(a: u32) -> u32 {
  if (a % 3u == 0u) {
    return a / 3u;
  }
  var r = a;
  for (var k = 0u; k < 3u; k++) {
    if ((r & 1u) == 1u) {
      return r + k;
    }
    r = r >> 1u;
  }
  return r * 7u;
}
fn g(a: u32, b: u32) -> u32 {
  return select(a ^ b, a + b, a < b);
}
fn twiddle(c: ptr<function, Cell>, e: u32) {
  (*c).k = (*c).k * 3u + e;
  (*c).m.y ^= e;
}
fn swapped(s: S) -> S {
  var t = s;
  t.u = s.w.x;
  t.w.x = s.u;
  t.b = !s.b;
  return t;
}
@compute @workgroup_size(${N})
fn main(@builtin(local_invocation_index) i: u32) {
  let a = x[i];
  let zu = x[0] & 0u;
  let fz = f32(zu);
  var acc = a ^ 0x9e3779b9u;
  var v = vec4<u32>(a, x[(i + 1u) % ${N}u], 7u, a >> 3u);
  var s = S(a % 97u, f32(a % 50u) * 0.25, vec4<u32>(1u, a, 3u, i), (a & 1u) == 1u);
  var fv = vec2<f32>(1.5, -2.0);
  var cell = array<Cell, 2>(Cell(a, v), Cell(3u, vec4<u32>(i)));
  var c0 = Cell(a + 1u, v.wzyx);
  wg[i] = a * 3u;
  workgroupBarrier();
${indent(lines).join('\n')}
  workgroupBarrier();
  let hs = atomicLoad(&hits[0]) + 3u * atomicLoad(&hits[1]) + 5u * atomicLoad(&hits[2]) + 7u * atomicLoad(&hits[3]);
  y[3u * i] = acc ^ s.u ^ dot(v, vec4<u32>(1u, 3u, 5u, 7u)) ^ dot(s.w, vec4<u32>(11u, 13u, 17u, 19u)) ^ select(0u, 0x80000000u, s.b);
  y[3u * i + 1u] = cell[0].k + 3u * cell[1].k + dot(cell[0].m ^ cell[1].m, vec4<u32>(1u, 3u, 5u, 7u)) + hs + 5u * c0.k + dot(c0.m, vec4<u32>(2u, 4u, 6u, 8u));
  y[3u * i + 2u] = bitcast<u32>(s.f + fv.x * 3.0 - fv.y);
}
` }));

// Host-shareable layouts and the other address spaces: a storage array of structs with vec3, vec2, an array and a
// matrix member (their alignment and padding), a private variable, a workgroup array of structs, i32 atomics.
// Every f32 in `src` is a small integer (see `memoryInputs`), so f32 arithmetic on them stays exact.
export const RECS = 4;
const M = (d: number): fc.Arbitrary<string> => {
  const j = fc.constantFrom('i % 4u', '(i + 1u) % 4u', 'r', '3u');
  const leaf = fc.oneof(
    j.map((k) => `src[${k}].a`),
    fc.tuple(j, fc.constantFrom('x', 'y', 'z')).map(([k, c]) => `u32(src[${k}].b.${c} + 64.0)`),
    j.map((k) => `bitcast<u32>(src[${k}].c)`),
    fc.tuple(j, fc.constantFrom('x', 'y')).map(([k, c]) => `src[${k}].d.${c}`),
    j.map((k) => `src[${k}].e[i % 3u]`),
    fc.tuple(j, fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 1 })).map(([k, c, r]) => `u32(src[${k}].f[${c}][${r}] + 64.0)`),
    // Only this invocation's tile element: another's may be written meanwhile (a race, whose value is open).
    fc.constantFrom('pv', 'i', 'tile[i].a', 'u32(tile[i].b.z + 64.0)', 'tile[i].e[1]'),
  );
  if (d <= 0) return leaf;
  return fc.oneof(
    { arbitrary: leaf, weight: 2 },
    { arbitrary: fc.tuple(M(d - 1), fc.constantFrom('+', '-', '*', '^', '&', '|'), M(d - 1)).map(([a, o, b]) => `(${a} ${o} ${b})`), weight: 3 },
    { arbitrary: fc.tuple(fc.constantFrom('x', 'y'), fc.constantFrom('r', 'i % 4u')).map(([c, k]) => `u32((src[${k}].f * vec2<f32>(1.0, 2.0)).${c} + 256.0)`), weight: 1 },
    { arbitrary: fc.constantFrom('r', 'i % 4u').map((k) => `u32(dot(src[${k}].b, vec3<f32>(1.0, 2.0, 3.0)) + 1024.0)`), weight: 1 },
  );
};

function memoryStatements(depth: number): fc.Arbitrary<string[]> {
  const arms: fc.Arbitrary<string[]>[] = [
    fc.tuple(fc.constantFrom('acc', 'pv', 'dst[i].a', 'dst[i].d.y', 'dst[i].e[(i + 2u) % 3u]', 'tile[i].a'), fc.constantFrom('=', '+=', '^='), M(2)).map(([l, o, x]) => [`${l} ${o} ${x};`]),
    fc.tuple(fc.constantFrom('dst[i].b', 'tile[i].b'), M(1), M(1)).map(([l, a, b]) => [`${l} = vec3<f32>(f32(${a} % 64u), f32(${b} % 64u), -1.0);`]),
    fc.tuple(fc.constantFrom('dst[i].c'), M(1)).map(([l, a]) => [`${l} = bitcast<i32>(${a}) >> 3u;`]),
    // A whole matrix: a column written by index is refused by the interpreter ("SetDataValue: Type mat2x2f is not an
    // array"), a skip.
    M(1).map((a) => [`dst[i].f = mat2x2<f32>(vec2<f32>(f32(${a} % 32u), 0.5), dst[i].f[1]);`]),
    M(1).map((a) => [`atomicMin(&imin, bitcast<i32>(${a}));`]),
    M(1).map((a) => [`atomicMax(&imax, bitcast<i32>(${a}) % 1000i);`]),
    M(1).map((a) => [`atomicXor(&ixor, bitcast<i32>(${a}));`]),
    fc.constant(['r = (r + 1u) % 4u;']),
  ];
  if (depth > 0) {
    arms.push(
      fc.tuple(M(1), memoryStatements(depth - 1), memoryStatements(depth - 1)).map(([c, t, f]) => [`if ((${c}) % 3u == 1u) {`, ...indent(t), '} else {', ...indent(f), '}']),
      fc.tuple(fc.integer({ min: 1, max: 3 }), memoryStatements(depth - 1)).map(([n, b]) => [`for (var k${depth} = 0u; k${depth} < ${n}u; k${depth}++) {`, ...indent(b), '}']),
    );
  }
  return fc.array(fc.oneof(...arms), { minLength: 1, maxLength: 4 }).map((xs) => xs.flat());
}

/** f32 bit patterns of the integers -64..64, which read as u32 are large too. */
export const memoryInputs = fc.array(fc.integer({ min: -64, max: 64 }).map((v) => new Uint32Array(new Float32Array([v]).buffer)[0]!), { minLength: N, maxLength: N });

/** Rec's layout (WGSL §13.4 "Memory Layout"): a 0, b 16 (vec3 aligns to 16), c 28, d 32, e 40..52, f 56 (mat2x2
 *  aligns to 8) .. 72, rounded up to the struct's alignment, 16: a stride of 80 bytes. src holds RECS of them,
 *  filled from x cyclically. */
export const REC_WORDS = 20;
export const memoryLayouts: fc.Arbitrary<Program> = memoryStatements(2).map((lines) => ({ words: 2, recs: true, code: `struct Rec {
  a: u32,
  b: vec3<f32>,
  c: i32,
  d: vec2<u32>,
  e: array<u32, 3>,
  f: mat2x2<f32>,
}
@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read_write> y: array<u32>;
@group(0) @binding(2) var<storage, read> src: array<Rec>;
@group(0) @binding(3) var<storage, read_write> dst: array<Rec>;
var<private> pv: u32;
var<workgroup> tile: array<Rec, ${N}>;
var<workgroup> imin: atomic<i32>;
var<workgroup> imax: atomic<i32>;
var<workgroup> ixor: atomic<i32>;
@compute @workgroup_size(${N})
fn main(@builtin(local_invocation_index) i: u32) {
  pv = x[i] ^ i;
  var r = x[i] % ${RECS}u;
  var acc = 0u;
  tile[i] = src[i % ${RECS}u];
  workgroupBarrier();
${indent(lines).join('\n')}
  workgroupBarrier();
  dst[i].a += acc;
  y[2u * i] = acc ^ pv ^ tile[i].a ^ u32(tile[i].b.x + 64.0);
  y[2u * i + 1u] = bitcast<u32>(atomicLoad(&imin)) ^ (bitcast<u32>(atomicLoad(&imax)) * 3u) ^ (bitcast<u32>(atomicLoad(&ixor)) * 7u);
}
` }));

// Integer vectors: component-wise operators and bit builtins, swizzles, vector select and comparisons, and the
// packed 4x8 integer builtins (dot4U8Packed, dot4I8Packed, pack4xU8, pack4xI8, unpack4xU8, unpack4xI8), all exact.
const VU = (d: number): fc.Arbitrary<string> => {
  const leaf = fc.oneof(fc.constantFrom('va', 'vb', 'va.wzyx', 'vec4<u32>(va.xy, vb.zw)', 'vec4<u32>(a)', 'bitcast<vec4<u32>>(vi)', 'unpack4xU8(a ^ vb.x)'), fc.constantFrom(...EDGE).map((v) => `vec4<u32>(${runtime('u32', v)})`));
  if (d <= 0) return leaf;
  const s = () => integer('u32', 1, { u32: ['a', 'va.x', 'vb.y', 'i'], i32: ['vi.z'] });
  return fc.oneof(
    { arbitrary: leaf, weight: 2 },
    { arbitrary: fc.tuple(VU(d - 1), fc.constantFrom('+', '-', '*', '/', '%', '&', '|', '^'), VU(d - 1)).map(([x, o, y]) => `(${x} ${o} ${y})`), weight: 3 },
    { arbitrary: fc.tuple(VU(d - 1), fc.constantFrom('*', '+', '/', '%'), s()).map(([x, o, y]) => `(${x} ${o} ${y})`), weight: 1 },
    { arbitrary: fc.tuple(VU(d - 1), fc.constantFrom('<<', '>>'), VU(d - 1)).map(([x, o, y]) => `(${x} ${o} (${y} & vec4<u32>(31u)))`), weight: 1 },
    { arbitrary: fc.tuple(fc.constantFrom('countOneBits', 'reverseBits', 'firstLeadingBit', 'firstTrailingBit', 'countLeadingZeros', 'countTrailingZeros', '~'), VU(d - 1)).map(([f, x]) => (f === '~' ? `(~${x})` : `${f}(${x})`)), weight: 2 },
    { arbitrary: fc.tuple(fc.constantFrom('min', 'max'), VU(d - 1), VU(d - 1)).map(([f, x, y]) => `${f}(${x}, ${y})`), weight: 1 },
    { arbitrary: fc.tuple(VU(d - 1), VU(d - 1), VU(d - 1), fc.constantFrom(...CMP), VU(d - 1)).map(([x, y, p, c, q]) => `select(${x}, ${y}, ${p} ${c} ${q})`), weight: 1 },
    { arbitrary: fc.tuple(VU(d - 1), fc.integer({ min: 0, max: 31 }), fc.integer({ min: 0, max: 32 })).map(([x, o, n]) => `extractBits(${x}, ${o}u, ${Math.min(n, 32 - o)}u)`), weight: 1 },
    { arbitrary: fc.tuple(VI(d - 1)).map(([x]) => `bitcast<vec4<u32>>(${x})`), weight: 1 },
    { arbitrary: fc.tuple(VU(d - 1), VU(d - 1)).map(([x, y]) => `vec4<u32>(dot(${x}, ${y}), pack4xU8(${x}), pack4xU8Clamp(${y}), dot4U8Packed(${x}.x, ${y}.y))`), weight: 1 },
  );
};
const VI = (d: number): fc.Arbitrary<string> => {
  const leaf = fc.constantFrom('vi', 'vi.yxwz', 'bitcast<vec4<i32>>(va)', 'vec4<i32>(b)', 'unpack4xI8(bitcast<u32>(b))');
  if (d <= 0) return leaf;
  return fc.oneof(
    { arbitrary: leaf, weight: 2 },
    { arbitrary: fc.tuple(VI(d - 1), fc.constantFrom('+', '-', '*', '/', '%', '&', '|', '^'), VI(d - 1)).map(([x, o, y]) => `(${x} ${o} ${y})`), weight: 3 },
    { arbitrary: fc.tuple(VI(d - 1), fc.constantFrom('<<', '>>'), VU(d - 1)).map(([x, o, y]) => `(${x} ${o} (${y} & vec4<u32>(31u)))`), weight: 1 },
    { arbitrary: fc.tuple(fc.constantFrom('abs', '-', 'sign', 'countOneBits', 'firstLeadingBit', 'reverseBits'), VI(d - 1)).map(([f, x]) => (f === '-' ? `(-${x})` : `${f}(${x})`)), weight: 2 },
    { arbitrary: fc.tuple(VI(d - 1), VI(d - 1), VI(d - 1)).map(([x, lo, hi]) => `clamp(${x}, min(${lo}, ${hi}), max(${lo}, ${hi}))`), weight: 1 },
    { arbitrary: fc.tuple(VI(d - 1), fc.integer({ min: 0, max: 31 }), fc.integer({ min: 0, max: 32 })).map(([x, o, n]) => `extractBits(${x}, ${o}u, ${Math.min(n, 32 - o)}u)`), weight: 1 },
    { arbitrary: fc.tuple(VI(d - 1), VI(d - 1)).map(([x, y]) => `vec4<i32>(dot(${x}, ${y}), bitcast<i32>(pack4xI8(${x})), bitcast<i32>(pack4xI8Clamp(${y})), dot4I8Packed(bitcast<u32>(${x}.x), bitcast<u32>(${y}.w)))`), weight: 1 },
    { arbitrary: fc.tuple(VU(d - 1)).map(([x]) => `vec4<i32>(${x})`), weight: 1 },
  );
};

export const integerVectors: fc.Arbitrary<Program> = fc.tuple(VU(3), VI(3)).map(([u, s]) => ({ words: 8, code: `${HEAD}@compute @workgroup_size(${N})
fn main(@builtin(local_invocation_index) i: u32) {
  let a = x[i];
  let b = bitcast<i32>(x[(i + 3u) % ${N}u]);
  let zu = x[0] & 0u;
  let zi = bitcast<i32>(zu);
  let va = vec4<u32>(a, x[(i + 1u) % ${N}u], x[(i + 2u) % ${N}u], i);
  let vb = vec4<u32>(x[(i + 5u) % ${N}u], 7u, a >> 4u, 0x80000000u);
  var vi = vec4<i32>(b, -5i, bitcast<i32>(va.y), i32(i) - 4i);
  let ru = ${u};
  let ri = ${s};
  for (var k = 0u; k < 4u; k++) {
    y[8u * i + k] = ru[k];
    y[8u * i + 4u + k] = bitcast<u32>(ri[k]);
  }
}
` }));
