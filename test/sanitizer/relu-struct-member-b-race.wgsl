// replaces: relu
// bug: invocation 2k also writes member b of the struct that invocation 2k + 1 writes it in, with nothing between
//   them (relu-struct-members.wgsl with one more store: members of one struct are distinct memory locations, but
//   one member written by two invocations races), with the raced member b second: Dawn and the interpreter name it
//   alike, pair[k].b, at its own byte (trial 170 B1: Dawn named the element's first member).
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
  if (lid % 2u == 0u) { pair[lid / 2u].a = v; pair[lid / 2u].b = pair[lid / 2u].b; } else { pair[lid / 2u].b = v; }
  workgroupBarrier();
  let p = pair[lid / 2u];
  if (i < params.n) { y[i] = max(select(p.b, p.a, lid % 2u == 0u), 0.0); }
}
