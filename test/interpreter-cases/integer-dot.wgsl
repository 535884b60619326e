// dot() of integer vectors wraps as integer arithmetic does (patches/README.md §19), and hex i32 literals (0x7i) scan
// (§20): y holds three dots of each of x's vectors.
@group(0) @binding(0) var<storage, read> x: array<vec4<u32>>;
@group(0) @binding(1) var<storage, read_write> y: array<u32>;

@compute @workgroup_size(2)
fn main(@builtin(local_invocation_index) i: u32) {
  let a = x[i];
  y[i * 3u] = dot(a, vec4<u32>(2654435761u));
  y[i * 3u + 1u] = dot(vec2<u32>(a.x, a.y), vec2<u32>(3u, 1u));
  y[i * 3u + 2u] = bitcast<u32>(dot(vec2<i32>(bitcast<i32>(a.z), -0x7i), vec2<i32>(0x2i, bitcast<i32>(a.w))));
}
