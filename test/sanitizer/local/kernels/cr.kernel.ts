// A shrunken crc32 with its table in a uniform struct: the sanitizer's uniform fixtures (test/sanitizer/local/cr-*.wgsl)
// replace cr.wgsl.
import type { KernelSpec } from 'kernelscope/kit';

export interface CrShape { n: number }

/** The CRC-32 (reflected, 0xEDB88320) table of a nibble. */
export const TABLE = Array.from({ length: 16 }, (_, i) => {
  let c = i;
  for (let k = 0; k < 4; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  return c >>> 0;
});

const spec: KernelSpec<CrShape> = {
  name: 'cr',
  wgsl: 'cr.wgsl',
  description: 'crc[m] = the CRC-32 of the 4 bytes of msg[m], a nibble at a time from a uniform table.',
  buffers: {
    msg: { role: 'input', type: 'u32', length: (s) => s.n },
    crc: { role: 'output', type: 'u32', length: (s) => s.n },
  },
  stages: (s) => [{
    wgsl: 'cr.wgsl',
    entry: 'main',
    bind: { msg: 'msg', crc: 'crc', params: { uniform: { n: s.n } }, table: { uniform: { t: Array.from({ length: 4 }, (_, i) => TABLE.slice(4 * i, 4 * i + 4)) } } },
    workgroups: ([wx]) => [Math.ceil(s.n / wx), 1, 1],
  }],
};
export default spec;
