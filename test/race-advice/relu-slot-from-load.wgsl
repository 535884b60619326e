// replaces: relu
// bug: each invocation takes the next free slot of its workgroup's 64 by an atomicAdd, then reads its slot back with
//   atomicLoad: relaxed atomics give that load no order against the other invocations' adds, so two invocations may
//   read the same count and write one element (the slot is atomicAdd's own result). no-data-race must say that the
//   index comes from the atomic, and where its updates are (trial 39's compaction was told only to check the index).
struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

var<workgroup> taken: atomic<u32>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3u) {
  atomicAdd(&taken, 1u);
  let slot = atomicLoad(&taken) - 1u;
  let i = wid.x * 64u + slot;
  if (i < params.n) {
    y[i] = max(x[i], 0.0);
  }
}
