// A member of a u32 vector in memory is a u32: upstream typed `x[i].x` i32 (over its Uint32Array), so `%`, `>>` and
// `>` on it and on a product of it ran signed (found by the random differential run).
// x = [(0x80000001, 3), (0xffffffff, 0x80000000)].
@group(0) @binding(0) var<storage, read> x: array<vec2<u32>>;
@group(0) @binding(1) var<storage, read_write> y: array<u32>;

@compute @workgroup_size(2)
fn main(@builtin(local_invocation_index) i: u32) {
  let p = x[i].x * x[i].y;
  y[3u * i] = p % 7u;
  y[3u * i + 1u] = x[i].y >> 31u;
  y[3u * i + 2u] = select(0u, 1u, x[i].x > 5u);
}
