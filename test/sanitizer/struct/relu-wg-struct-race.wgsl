// relu-wg-struct.wgsl without its first barrier: invocation 0 writes st.scale (line 13) as the others read it (line 21).
struct Params { n: u32 }
struct Stage { scale: f32, v: array<f32, 64> }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;
var<workgroup> st: Stage;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) l: u32) {
  if (l == 0u) {
    st.scale = 1.0;
  }
  // (no barrier: the race)
  let i = gid.x;
  var v = 0.0;
  if (i < params.n) {
    v = x[i];
  }
  st.v[l] = max(v, 0.0) * st.scale;
  workgroupBarrier();
  if (i < params.n) {
    y[i] = st.v[l];
  }
}
