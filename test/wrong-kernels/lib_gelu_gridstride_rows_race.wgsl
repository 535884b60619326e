// replaces: gelu
// bug: a grid-stride loop whose stride leaves out the rows over y (nwg.x * 256 where the dispatch holds
// nwg.x * nwg.y * 256 invocations): once the dispatch spreads over y, the second row's workgroups start at elements the
// first row's strides also reach, and two workgroups write the same y elements, a data race (WGSL: a dynamic error)
// whose values happen to agree, so every value-based property passes. Only a race check on a dispatch that spreads shows
// it (a new user's kernel; no-data-race alone runs the ordinary, one-row dispatches).
// caught-by: no-data-race-spread-y
struct Params { n: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let stride = nwg.x * 256u;
  for (var g = gid.x + gid.y * nwg.x * 256u; g < params.n; g += stride) {
    let v = x[g];
    let w = clamp(v, -10.0, 10.0);
    y[g] = (0.5 * v) * (1.0 + tanh(0.7978845608028654 * (w + 0.044715 * w * w * w)));
  }
}
