// A tree sum whose loop body starts with its barrier. wgsl_reflect's stepStack runs the first statement of a block
// in the step that enters it, so the scheduler never saw this barrier: no phase ended there (a race reported on a
// correct kernel) and nothing held the invocations at it.
@group(0) @binding(0) var<storage, read_write> y: array<u32>;
var<workgroup> sh: array<u32, 4>;
@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) l: u32) {
  sh[l] = l + 1u;
  for (var s = 2u; s > 0u; s = s >> 1u) {
    workgroupBarrier();
    if (l < s) { sh[l] = sh[l] + sh[l + s]; }
  }
  workgroupBarrier();
  y[l] = sh[0];
}
