// frexp and modf return structs (WGSL §17.5.21, §17.5.38); upstream returned bare values, so a member of the result
// was refused.
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(1)
fn main() {
  let f = frexp(a[0]);
  y[0] = f.fract;
  y[1] = f32(f.exp);
  y[2] = modf(a[2]).fract;
  y[3] = modf(a[2]).whole;
  let v = vec3<f32>(a[0], a[1], a[2]);
  let fv = frexp(v);
  let mv = modf(v);
  for (var k = 0u; k < 3u; k++) {
    y[4u + k] = fv.fract[k];
    y[7u + k] = f32(fv.exp[k]);
    y[10u + k] = mv.fract[k];
    y[13u + k] = mv.whole[k];
  }
  let w = frexp(vec4<f32>(a[0], a[1], a[2], a[3]));
  y[16] = w.fract.w;
  y[17] = f32(w.exp.x);
}
