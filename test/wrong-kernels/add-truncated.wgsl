// replaces: add
// bug: the sum is truncated to a 16-bit significand (as a packed or reduced-precision path would), so it is not
//   correctly rounded: off by up to 2^-16 relative where WGSL allows one f32 neighbour.
// caught-by: correctly-rounded
struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> c: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= params.n) {
    return;
  }
  c[i] = bitcast<f32>(bitcast<u32>(a[i] + b[i]) & 0xffffff80u);
}
