// relu with a const_assert that fails: no engine compiles it, so no property of it may pass (a trial's module got
// `ok` for no-out-of-bounds and no-data-race on every GPU engine: the sanitized copy had the assertion blanked).
struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

const WG: u32 = 64u;
const_assert WG % 48u == 0u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= params.n) {
    return;
  }
  y[i] = max(x[i], 0.0);
}
