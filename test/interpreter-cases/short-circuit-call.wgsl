// A call to the kernel's own function in the right operand of `&&` (stream compaction: append only the kept
// elements). wgsl_reflect's debugger makes every such call before the statement, whatever the left operand: the
// interpreter refuses it (patches/README.md §24), never judging a count made by every invocation.
@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read_write> n: array<atomic<u32>>;

fn push(v: u32) -> bool {
  atomicAdd(&n[0], 1u);
  return v > 0u;
}

@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) i: u32) {
  if (x[i] > 1u && push(x[i])) {
  }
}
