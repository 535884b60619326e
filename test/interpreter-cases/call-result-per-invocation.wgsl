@group(0) @binding(0) var<storage, read_write> y: array<u32>;
fn tenfold(i: u32) -> u32 {
  let t = i * 10u;
  return t;
}
@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) i: u32) {
  let v = tenfold(i) + 1u;
  y[i] = v;
}
