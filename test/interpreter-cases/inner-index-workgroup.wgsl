// A workgroup tile `array<array<u32, 3>, 2>` filled as tile[i / 4][i % 4]: tile[0][3] is tile[1][0]'s bytes, which
// invocation 4 writes too (no race: the index is out of bounds, the write dropped), tile[1][3] past the tile's end.
@group(0) @binding(0) var<storage, read_write> y: array<u32>;
var<workgroup> tile: array<array<u32, 3>, 2>;

@compute @workgroup_size(8)
fn main(@builtin(local_invocation_index) i: u32) {
  tile[i / 4u][i % 4u] = i + 1u;
  workgroupBarrier();
  y[i] = tile[i / 4u][i % 4u];
}
