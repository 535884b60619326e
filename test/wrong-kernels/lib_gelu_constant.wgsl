// replaces: gelu
// bug: the cubic coefficient is mistyped as 0.04715 instead of 0.044715 (a dropped digit): off by up to ~1e-3.
// caught-by: matches-reference
// gelu (tanh form): y[i] = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), x = x[i]. Invocation g handles element
// g = gid.x + gid.y * (num_workgroups.x * 256) (workgroups spread over x and y past 65535).
// The evaluation order below is the one properties/gelu.properties.ts propagates its error bound through:
// ((c x) x) x, then x + that, then k times it, then tanh, 1 + t, (0.5 x) (1 + t).
struct Params { n: u32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

const K: f32 = 0.7978845608028654; // sqrt(2 / pi)
const C: f32 = 0.04715;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let g = gid.x + gid.y * nwg.x * 256u;
  if (g >= params.n) { return; }
  let v = x[g];
  let inner = K * (v + C * v * v * v);
  y[g] = (0.5 * v) * (1.0 + tanh(inner));
}
