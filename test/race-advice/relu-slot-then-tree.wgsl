// replaces: relu
// bug: as relu-slot-from-load.wgsl, the slot read back with atomicLoad after the invocation's own atomicAdd, here
//   into workgroup memory that a tree then works in after a barrier (trial 158 B1): the tree's line, a phase later,
//   was named beside the slot's store as the race's other side, and the advice fell back to "make it an atomic".
struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

var<workgroup> taken: atomic<u32>;
var<workgroup> sh: array<f32, 64>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = wid.x * 64u + lid;
  let v = select(0.0, x[min(i, params.n - 1u)], i < params.n);
  atomicAdd(&taken, 1u);
  let slot = atomicLoad(&taken) - 1u;
  sh[slot] = v;
  workgroupBarrier();
  for (var s = 32u; s > 0u; s >>= 1u) {
    if (lid < s) { sh[lid] += 0.0 * sh[lid + s]; }
    workgroupBarrier();
  }
  if (i < params.n) {
    y[i] = max(sh[lid], 0.0);
  }
}
