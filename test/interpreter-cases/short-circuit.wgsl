// `&&` and `||` evaluate their right side only when the left does not decide (WGSL §8.6; patches/README.md §24),
// and select() evaluates all three of its arguments, as every call does. Keys (1, 1, 2, 2): head flags y[0..3] =
// (1, 0, 1, 0), plus 10 where the next key is larger, asked only below the last: y = (1, 10, 1, 0, 5). The one
// out-of-bounds access is select's keys[4], by invocation 3 at line 16: never keys[-1] at line 10, nor keys[4] at 12.
@group(0) @binding(0) var<storage, read> keys: array<u32>;
@group(0) @binding(1) var<storage, read_write> y: array<u32>;

@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) i: u32) {
  let head = i == 0u || keys[i - 1u] != keys[i];
  y[i] = select(0u, 1u, head);
  if (i + 1u < 4u && keys[i + 1u] > keys[i]) {
    y[i] += 10u;
  }
  if (i == 3u) {
    y[4] = select(keys[i + 1u], 5u, true);
  }
}
