// replaces: relu
// correct: the twin of relu-storage-after-workgroup-barrier.wgsl with a storageBarrier() between the writes of y and
//   invocation 0's read of y[i + 1]: it orders storage, so there is no race (and the outputs are relu's).
struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = gid.x;
  if (i < params.n) { y[i] = max(x[i], 0.0); }
  storageBarrier();
  let j = i + 1u;
  if (lid == 0u && j < params.n && y[j] < 0.0) { y[i] = -1.0; }
}
