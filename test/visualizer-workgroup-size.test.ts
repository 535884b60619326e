// The page's workgroup size field rewrites the @workgroup_size of the shown stage's entry point, found through the
// WGSL's tokens: it rewrote the file's first one whichever stage was shown (trial 67 B2), and read the WGSL with a
// regular expression.
import { describe, expect, it } from 'vitest';
import { withWorkgroupSize } from '../visualizer/src/workgroup-size.ts';

const code = `override WG = 64u;
@compute @workgroup_size(WG, 1)
fn clear(@builtin(global_invocation_id) g: vec3u) {}

@compute
@workgroup_size(8, 8) // a tile
fn main(@builtin(global_invocation_id) g: vec3u) {}
`;

describe('withWorkgroupSize', () => {
  it("rewrites the named entry point's attribute, whatever is written in it, and nothing else", () => {
    expect(withWorkgroupSize(code, [16, 4], 'main').split('\n')).toEqual([...code.split('\n').slice(0, 5), '@workgroup_size(16, 4) // a tile', ...code.split('\n').slice(6)]);
    expect(withWorkgroupSize(code, [32, 1, 1], 'clear').split('\n')[1]).toBe('@compute @workgroup_size(32, 1, 1)');
  });

  it('leaves the WGSL as it is for an entry point it lacks, or WGSL that does not parse', () => {
    expect(withWorkgroupSize(code, [4], 'nosuch')).toBe(code);
    expect(withWorkgroupSize('fn main( {', [4], 'main')).toBe('fn main( {');
  });
});
