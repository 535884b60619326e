// An index past the end of an inner array<u32, 2> of a storage array (a pixel's channel loop one too far): x[0][2]
// is x[1][0]'s bytes and y[0][2] y[1][0]'s, inside each buffer, yet out of bounds (WGSL §"Out-of-Bounds Access").
// Invocation i reads and writes [i / 3][i % 3]: i = 2 and 5 go past their array<u32, 2>, i = 6 past x's end.
@group(0) @binding(0) var<storage, read_write> x: array<array<u32, 2>>;
@group(0) @binding(1) var<storage, read_write> y: array<array<u32, 2>>;

@compute @workgroup_size(7)
fn main(@builtin(local_invocation_index) i: u32) {
  y[i / 3u][i % 3u] = x[i / 3u][i % 3u] + 100u;
}
