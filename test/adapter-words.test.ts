// The adapter line each engine prints at the start of a run: Deno's wgpu gives the vendor as a decimal id, and a
// trial read "deno: 65541 · llvmpipe" (Khronos's id 0x10005 for Mesa).
import { describe, expect, it } from 'vitest';
import { describeAdapter, type EngineInfo } from '../harness/engines/engine.ts';
import { adapterLabel } from '../harness/reports/merge.ts';

const withAdapter = (vendor: string, description: string) =>
  ({ info: { backend: 'deno', status: 'ok', adapter: { vendor, architecture: '', device: '', description } } as EngineInfo });

describe('the adapter line', () => {
  it('names a vendor given as a decimal id, with the id in hex', () => {
    expect(describeAdapter(withAdapter('65541', 'llvmpipe (LLVM 15.0.6, 256 bits)'))).toBe('Mesa (vendor id 0x10005) · llvmpipe (LLVM 15.0.6, 256 bits)');
    expect(describeAdapter(withAdapter('4318', 'RTX'))).toBe('NVIDIA (vendor id 0x10de) · RTX');
    expect(describeAdapter(withAdapter('12345', 'x'))).toBe('vendor (vendor id 0x3039) · x');
  });

  it('leaves a vendor given as a name as it is', () => {
    expect(describeAdapter(withAdapter('google', 'SwiftShader'))).toBe('google · SwiftShader');
  });
});

describe("the report's adapter label", () => {
  // The summary's "New problems: ... on deno · 65541" (trial 35) and the report's column header.
  it('names a vendor given as a decimal id', () => {
    expect(adapterLabel(withAdapter('65541', 'llvmpipe (LLVM 15.0.6, 256 bits)').info)).toBe('mesa');
    expect(adapterLabel(withAdapter('12345', 'x').info)).toBe('0x3039');
    expect(adapterLabel(withAdapter('google', 'SwiftShader').info)).toBe('google');
  });
});
