// A compaction that keeps every element, each at the slot an atomicAdd hands it: WGSL leaves the order of the slots
// open. SwiftShader hands a workgroup's out in invocation order; the interpreter steps invocation 0, then
// the last down to 1 (dispatch.ts), so a kernel that takes the slots for a stable order fails there.
@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read_write> y: array<u32>;
@group(0) @binding(2) var<storage, read_write> count: atomic<u32>;
@compute @workgroup_size(4)
fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  let slot = atomicAdd(&count, 1u);
  y[slot] = x[g.x];
}
