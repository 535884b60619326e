@group(0) @binding(0) var<storage, read_write> y: array<u32>;
// A parameter named as the caller's variable that a later argument reads: every argument is the caller's.
fn put(i: u32, v: u32) {
  y[i] = v;
}
@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) i: u32) {
  put(3u - i, i * 10u);
}
