// An argument is a value: one read from memory the same call writes through a pointer keeps the value it had at the
// call. Upstream bound it as a live view of the memory, so the parameters read 100 and 7 here, written by the callee
// (found by the random differential run). x = [1, 2, 3, 4].
@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read_write> y: array<u32>;

struct Cell {
  k: u32,
  m: vec4<u32>,
}

fn reset(c: ptr<function, Cell>, e: u32, w: vec4<u32>) -> u32 {
  (*c).k = 100u;
  (*c).m = vec4<u32>(7u);
  return e * 1000u + w.y;
}

@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) i: u32) {
  var cell = array<Cell, 2>(Cell(x[i], vec4<u32>(x[i] + 1u)), Cell(0u, vec4<u32>(0u)));
  y[i] = reset(&cell[0], cell[0].k, cell[0].m) + cell[0].k * 100000u;
}
