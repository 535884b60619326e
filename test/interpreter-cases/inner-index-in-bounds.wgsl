// Every index in range, at every depth: a nested storage array, a vector's component by a runtime index, a matrix's
// column and component, a nested workgroup tile. y[i] = 1000 a + 100 b + 10 c + d for invocation i's four reads.
@group(0) @binding(0) var<storage, read_write> x: array<array<u32, 2>>;
@group(0) @binding(1) var<storage, read_write> v: array<vec4<u32>>;
@group(0) @binding(2) var<storage, read_write> m: array<mat2x2<f32>>;
@group(0) @binding(3) var<storage, read_write> y: array<u32>;
var<workgroup> tile: array<array<u32, 3>, 2>;

@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) i: u32) {
  let r = i / 2u;
  let c = i % 2u;
  tile[r][c + 1u] = x[r][c];
  v[i][c + 2u] = v[i][c] + 1u;
  workgroupBarrier();
  y[i] = 1000u * tile[r][c + 1u] + 100u * v[i][c + 2u] + 10u * u32(m[r][c][c]) + u32(m[r][1u - c][c]);
}
