// Matrix products by WGSL's rules (§8.7 "Matrix Arithmetic"): matrices are column-major, m * v sums the columns
// scaled by v, v * m dots v with each column (transpose(m) * v), m * n takes m * (column j of n) for column j. A
// trial's colour conversion `v * M` was computed as M * v, and a correct kernel's m * n came out transposed.
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
// The same m in memory (columns 16 bytes apart): a product with a view of memory, as a uniform's matrix is.
@group(0) @binding(2) var<storage, read> mem: array<mat3x3<f32>, 1>;

@compute @workgroup_size(1)
fn main() {
  let m = mat3x3<f32>(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]);
  let v = vec3<f32>(a[9], a[10], a[11]);
  let n = mat3x3<f32>(a[12], a[13], a[14], a[15], a[16], a[17], a[18], a[19], a[20]);
  let mv = m * v;
  let vm = v * m;
  let mn = m * n;
  let p = mat2x3<f32>(a[0], a[1], a[2], a[3], a[4], a[5]);
  let pw = p * vec2<f32>(a[9], a[10]);
  let vp = v * p;
  let q = mat3x2<f32>(a[12], a[13], a[14], a[15], a[16], a[17]);
  let pq = p * q;
  for (var k = 0u; k < 3u; k++) {
    y[k] = mv[k];
    y[3u + k] = vm[k];
    for (var r = 0u; r < 3u; r++) {
      y[6u + 3u * k + r] = mn[k][r];
      y[20u + 3u * k + r] = pq[k][r];
    }
    y[15u + k] = pw[k];
  }
  y[18] = vp[0];
  y[19] = vp[1];
  let wm = v * mem[0];
  let mw = mem[0] * v;
  for (var k = 0u; k < 3u; k++) {
    y[29u + k] = wm[k];
    y[32u + k] = mw[k];
  }
}
