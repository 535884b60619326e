// Inclusive scan over up to 256^3 elements: block scans, a scan of the block totals (recursively), offsets added back.
import type { KernelSpec, StageSpec } from '../harness/spec.ts';
import { spread } from './reduce_sum.kernel.ts';

export interface ScanShape {
  n: number;
  /** add: prefix sums of f32; affine: prefix compositions of affine maps (a, b), two f32 per element. */
  op: 'add' | 'affine';
}

export const SCAN_BLOCK = 256;
const blocks = (n: number) => Math.ceil(n / SCAN_BLOCK);
const width = (s: ScanShape) => (s.op === 'affine' ? 2 : 1);

export function scanStages(wgsl: string, s: ScanShape): StageSpec<ScanShape>[] {
  const scan = (src: string, dst: string, totals: string, n: number): StageSpec<ScanShape> => ({
    wgsl, entry: `scan_blocks_${s.op}`, bind: { src, dst, totals, params: { uniform: { n } } }, workgroups: (_, limits) => spread(blocks(n), limits),
  });
  const addBack = (offsets: string, dst: string, n: number): StageSpec<ScanShape> => ({
    wgsl, entry: `add_offsets_${s.op}`, bind: { src: offsets, dst, params: { uniform: { n } } }, workgroups: (_, limits) => spread(blocks(n), limits),
  });
  const n1 = blocks(s.n);
  const n2 = blocks(n1);
  const stages = [scan('x', 'y', 's1', s.n)];
  if (n1 > 1) {
    stages.push(scan('s1', 't1', 's2', n1));
    if (n2 > 1) {
      stages.push(scan('s2', 't2', 's3', n2));
      stages.push(addBack('t2', 't1', n1));
    }
    stages.push(addBack('t1', 'y', s.n));
  }
  return stages;
}

const spec: KernelSpec<ScanShape> = {
  name: 'scan',
  wgsl: 'scan.wgsl',
  description: 'Inclusive prefix scan (f32 sums, or compositions of affine maps) over many 256-element blocks: block scans, a scan of the block totals, offsets added back.',
  buffers: {
    x: { role: 'input', type: 'f32', length: (s) => s.n * width(s), dims: (s) => (s.op === 'affine' ? [s.n, 2] : [s.n]) },
    y: { role: 'output', type: 'f32', length: (s) => s.n * width(s), dims: (s) => (s.op === 'affine' ? [s.n, 2] : [s.n]) },
    s1: { role: 'scratch', type: 'f32', length: (s) => blocks(s.n) * width(s) },
    t1: { role: 'scratch', type: 'f32', length: (s) => blocks(s.n) * width(s) },
    s2: { role: 'scratch', type: 'f32', length: (s) => blocks(blocks(s.n)) * width(s) },
    t2: { role: 'scratch', type: 'f32', length: (s) => blocks(blocks(s.n)) * width(s) },
    s3: { role: 'scratch', type: 'f32', length: (s) => width(s) },
  },
  stages: (s) => scanStages('scan.wgsl', s),
  // The smallest dispatch past 65,535 workgroups: a second row of workgroups over y.
  spreadShape: { n: 65535 * SCAN_BLOCK + 1, op: 'add' },
};

export default spec;
