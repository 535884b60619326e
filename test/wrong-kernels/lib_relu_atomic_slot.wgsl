// replaces: relu
// bug: each invocation takes its output slot within the workgroup from an atomicAdd, whose order WGSL leaves open:
//   the output is right only where the slots come in invocation order, as a radix sort's ranks taken so are stable
//   only then (trial 199 A1: such a sort passed every property on Dawn). The interpreter hands them out in another
//   order (invocation 0, then the last down to 1), every run; the note after a run without it names the slot.
// caught-by: matches-reference
// backends: interpreter
struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;
var<workgroup> next: atomic<u32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(workgroup_id) wid: vec3u) {
  let i = gid.x;
  if (i >= params.n) {
    return;
  }
  let slot = wid.x * 64u + atomicAdd(&next, 1u);
  y[slot] = max(x[i], 0.0);
}
