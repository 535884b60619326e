// replaces: relu
// bug: invocations 2k and 2k + 1 stage their values in the two components of one vec2 of workgroup memory, 2k in
//   .x and 2k + 1 in [1], with no barrier between the two writes. WGSL lets a write of one component of a vector
//   access all of the vector's memory locations (§ "Component Reference from Vector Memory View"), so the two writes
//   race, though a GPU that stores the one component may give the right outputs. Caught by no-data-race on a GPU
//   engine, which records a component's write as a write of the whole element.
struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

var<workgroup> pair: array<vec2f, 32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = gid.x;
  var v = 0.0;
  if (i < params.n) { v = x[i]; }
  if (lid % 2u == 0u) { pair[lid / 2u].x = v; } else { pair[lid / 2u][1] = v; }
  workgroupBarrier();
  let p = pair[lid / 2u];
  if (i < params.n) { y[i] = max(select(p.y, p.x, lid % 2u == 0u), 0.0); }
}
