// A postfix after a swizzle, and after parentheses: upstream read `v.wzyx.x` from v itself (v.x), and its parser set
// the postfix after a `)` over the one inside (`(v.wzyx).w` was v.w, `(arr[1]).w` was arr.w). x = [1, 2, 3, 4].
@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read_write> y: array<u32>;

struct P {
  k: u32,
  m: vec4<u32>,
}

@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) i: u32) {
  let a = x[i];
  var v = vec4<u32>(a, 20u, 7u, 40u);
  let w = vec4<u32>(a, 20u, 7u, 40u);
  var arr = array<vec4<u32>, 2>(v, v.yzwx);
  var ps = array<P, 2>(P(1u, v), P(2u, v.wzyx));
  y[5u * i] = v.wzyx.x;
  y[5u * i + 1u] = w.zw.x;
  y[5u * i + 2u] = (v.wzyx).w;
  y[5u * i + 3u] = (arr[1]).w;
  y[5u * i + 4u] = (ps[1].m).x + (ps[1]).k * 100u + (x[(i + 1u) % 4u]) * 10000u;
}
