// replaces: relu
// not a bug: invocations 2k and 2k + 1 stage their values in the two members of one struct of workgroup memory, with
//   no barrier between the two writes. A struct's members are distinct memory locations (WGSL § "Memory Operation":
//   an access of a member accesses only its own), so the writes do not race, unlike two components of one vector
//   (relu-vector-components-race.wgsl). no-data-race must pass on it.
struct Params {
  n: u32,
}

struct Pair {
  a: f32,
  b: f32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

var<workgroup> pair: array<Pair, 32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = gid.x;
  var v = 0.0;
  if (i < params.n) { v = x[i]; }
  if (lid % 2u == 0u) { pair[lid / 2u].a = v; } else { pair[lid / 2u].b = v; }
  workgroupBarrier();
  let p = pair[lid / 2u];
  if (i < params.n) { y[i] = max(select(p.b, p.a, lid % 2u == 0u), 0.0); }
}
