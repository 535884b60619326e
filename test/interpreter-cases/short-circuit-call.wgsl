// A call to the kernel's own function in the right operand of `&&` (stream compaction: append only the kept
// elements). wgsl_reflect's debugger makes every such call before the statement, whatever the left operand
// (patches/README.md §24); as an if's whole condition, with no else, the interpreter runs it as two nested ifs
// (short-circuit-ifs.ts): push runs for x[i] > 1 alone, as WGSL says. Dawn counts 2 here too.
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
