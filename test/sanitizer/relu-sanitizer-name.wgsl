// y = max(x, 0), element-wise: one invocation per element, bounded by the uniform n.
// A name of the sanitizer's own (_ks_f, its findings buffer): the plain kernel compiles, the rewrite redeclares it.
const _ks_f = 0.0;

struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= params.n) {
    return;
  }
  y[i] = max(x[i], _ks_f);
}
