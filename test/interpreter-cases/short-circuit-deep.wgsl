// A call in the right operand of && deeper in an expression (an argument of select): evaluated after what comes
// before it in the statement, so it cannot be moved before the statement; refused (patches/README.md §24).
@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read_write> n: array<atomic<u32>>;

fn push(v: u32) -> bool {
  atomicAdd(&n[0], 1u);
  return v > 0u;
}

@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) i: u32) {
  let kept = select(0u, 1u, x[i] > 1u && push(x[i]));
  atomicAdd(&n[1], kept);
}
