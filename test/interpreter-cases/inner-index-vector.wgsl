// A runtime component index past a vector's end (a channel loop `c <= 4u` over vec4 pixels), in storage and in a
// workgroup tile: x[0][4] is x[1].x's bytes, inside x, yet out of bounds. The writes of [4] are dropped, the reads
// of [4] give zero, and no neighbour's component is touched.
@group(0) @binding(0) var<storage, read_write> x: array<vec4<u32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4<u32>>;
var<workgroup> t: array<vec4<u32>, 2>;

@compute @workgroup_size(2)
fn main(@builtin(local_invocation_index) i: u32) {
  for (var c = 0u; c <= 4u; c++) {
    t[i][c] = x[i][c] + c;
  }
  workgroupBarrier();
  for (var c = 0u; c <= 4u; c++) {
    y[i][c] = t[i][c] + 10u * t[i][4];
  }
}
