// Elements of bool arrays, in function and workgroup memory, read as conditions and operands, and a bool struct
// member (upstream gave bool no size: every element was one place, and a member after a bool was written over it).
// x = [1, 2, 3, 0]; each invocation sets only its own element of flags.
@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read_write> y: array<u32>;

var<workgroup> seen: array<bool, 4>;

struct Pick {
  ok: bool,
  v: u32,
}

@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) i: u32) {
  var flags: array<bool, 4>;
  flags[i] = x[i] > 1u;
  seen[i] = x[i] == 0u;
  workgroupBarrier();
  var r = 0u;
  if (flags[i]) {
    r += 1u;
  }
  if (!flags[(i + 1u) % 4u]) {
    r += 10u;
  }
  if (seen[(i + 1u) % 4u]) {
    r += 100u;
  }
  r += select(0u, 1000u, seen[i] || flags[i]);
  // A bool member before a u32: upstream gave bool no size, so p.v was written over p.ok.
  var p: Pick;
  p.ok = x[i] > 1u;
  p.v = x[i] * 2u;
  if (p.ok) {
    r += p.v * 10000u;
  }
  y[i] = r;
}
