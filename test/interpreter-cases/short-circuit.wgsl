// `&&` and `||` evaluate their right side only when the left does not decide (WGSL §8.6; patches/README.md §24),
// and select() evaluates all three of its arguments, as every call does. Keys (1, 1, 2, 2): head flags y[0..3] =
// (1, 0, 1, 0) plus 10 where push() ran, which is only for keys > 1: y = (1, 0, 11, 10, 2, 5), n[0] = 2. The one
// out-of-bounds access is select's keys[4], by invocation 3 at line 26: never keys[-1] at line 16.
@group(0) @binding(0) var<storage, read> keys: array<u32>;
@group(0) @binding(1) var<storage, read_write> y: array<u32>;
@group(0) @binding(2) var<storage, read_write> n: array<atomic<u32>>;

fn push(v: u32) -> bool {
  atomicAdd(&n[0], v - 1u);
  return true;
}

@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) i: u32) {
  let head = i == 0u || keys[i - 1u] != keys[i];
  y[i] = select(0u, 1u, head);
  if (keys[i] > 1u && push(keys[i])) {
    y[i] += 10u;
  }
  storageBarrier();
  if (i == 0u) {
    y[4] = atomicLoad(&n[0]);
  }
  if (i == 3u) {
    y[5] = select(keys[i + 1u], 5u, true);
  }
}
