// const_assert at module scope after other declarations, and as a statement in a function: upstream's statement
// parser knew only the old `static_assert` (every engine reported such a kernel as an error, since the harness reads
// the WGSL with it), and running a module-scope one printed "Invalid statement type." with the node (trial 46).
@group(0) @binding(0) var<storage, read_write> y: array<u32>;

const K = 7u;
const_assert K * 2u == 14u;

@compute @workgroup_size(1)
fn main() {
  const_assert (K & 1u) == 1u;
  var s = K;
  const_assert K > 1u;
  s += 1u;
  y[0] = s;
}
