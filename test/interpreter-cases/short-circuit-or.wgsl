// A call to the kernel's own function in the right operand of `||` (a TF.js-style argmax's `best < 0 ||
// better(...)`), of `&&` with an else, and inside parentheses: the interpreter runs such an if as `var c = A; if (!c)
// { c = f(x); } if (c) ...` (short-circuit-ifs.ts), so push runs only where the left operand does not decide, as WGSL
// says; Dawn agrees.
@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read_write> n: array<atomic<u32>>;

fn push(v: u32) -> bool {
  atomicAdd(&n[0], 1u);
  return v > 2u;
}

@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) i: u32) {
  if (x[i] > 1u ||
      push(x[i])) {
    atomicAdd(&n[1], 1u);
  } else {
    atomicAdd(&n[2], 1u);
  }
  if (x[i] == 3u && push(x[i])) {
    atomicAdd(&n[3], 1u);
  } else {
    atomicAdd(&n[4], 1u);
  }
  // A parenthesized right operand (an argmax tree's `ci >= 0 && (bi < 0 || better(...))`).
  if (x[i] > 0u && (x[i] == 2u || push(x[i]))) {
    atomicAdd(&n[5], 1u);
  }
}
