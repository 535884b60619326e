// The transpose family: b = aᵀ moves bits, so it is exact; and transposing twice is the identity.
import * as fc from 'fast-check';
import type { Case, Family, Property, Verdict } from '../harness/spec.ts';
import type { TransposeShape } from '../kernels/transpose.kernel.ts';
import { transpose } from '../reference/transpose.ts';
import { distArb, edgeSize, fillF32, seedArb, subSeed, type ValueDist } from './values.ts';
import { bitsVerdict } from './verdict.ts';

export interface TransposeDraw extends TransposeShape {
  seed: number;
  dist: ValueDist;
}

// Subnormals and −0 included: a copy must keep every bit.
const DISTS = ['uniform', 'edge', 'subnormal', 'wide', 'huge', 'normal'] as const satisfies readonly ValueDist[];

// Sides up to 64 (four tiles: edge tiles on both sides, interior ones, every shape's remainder), up to 700 in 5 draws
// of 100: on SwiftShader a 16 × 16 workgroup with its barrier costs about 1 ms, so a 700 × 700 case is 2 s, and with
// every size as likely the family took about a fifth of `npm start`'s time. The sizes of 64 or less also fit the
// interpreter's budget (4,096 invocations: 16 tiles), which no draw of the old mixture at --runs 3 did.
const side = edgeSize(700, [16], { common: 64, rare: 5 });
const draw: fc.Arbitrary<TransposeDraw> = fc.record({
  rows: side,
  cols: side,
  seed: seedArb,
  dist: distArb(DISTS),
});

export function transposeCase(d: TransposeDraw): Case<TransposeDraw> {
  return { shape: d, inputs: { a: fillF32(subSeed(d.seed, 0), d.rows * d.cols, d.dist) } };
}

const involution: Property<TransposeDraw, TransposeDraw> = {
  name: 'twice-is-identity',
  description:
    'Transposes a (rows × cols) and, in a second run, aᵀ (cols × rows): the second output is a bit for bit, and the ' +
    'first output is the second run\'s input: transpose undoes itself.',
  bound: 'T(T(a)) = a, bit-exact',
  arbitrary: draw,
  runs: (d) => {
    const a = transposeCase(d).inputs.a as Float32Array;
    const at = Float32Array.from(transpose(a, d.rows, d.cols));
    return [{ shape: d, inputs: { a } }, { shape: { ...d, rows: d.cols, cols: d.rows }, inputs: { a: at } }];
  },
  check: (d, [first, second]): Verdict => {
    const a = transposeCase(d).inputs.a as Float32Array;
    const back = bitsVerdict('b', second!.b! as Float32Array, a, `T(aᵀ) against a (${d.rows} × ${d.cols})`);
    if (!back.pass) return back;
    const at = Float32Array.from(transpose(a, d.rows, d.cols));
    return bitsVerdict('b', first!.b! as Float32Array, at, `T(a) against the input of the second run`);
  },
};

const family: Family<TransposeDraw> = {
  name: 'transpose',
  cases: draw.map(transposeCase),
  reference: (c) => ({ b: transpose(c.inputs.a!, c.shape.rows, c.shape.cols) }),
  tolerance: (c) => ({ b: new Float64Array(c.shape.rows * c.shape.cols) }),
  properties: [involution],
  exact: true,
};

export default family;
