// transpose() of a value and of a view of memory (a storage or uniform matrix, columns 16 bytes apart). Upstream
// took only a value (a uniform's matrix was "not supported") and indexed a non-square one past its end.
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<storage, read> mem: array<mat2x3<f32>, 1>;

@compute @workgroup_size(1)
fn main() {
  let t = transpose(mat2x3<f32>(a[0], a[1], a[2], a[3], a[4], a[5]));
  let u = transpose(mat3x2<f32>(a[0], a[1], a[2], a[3], a[4], a[5]));
  let s = transpose(mat4x4<f32>(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], a[14], a[15]));
  let w = transpose(mem[0]);
  for (var c = 0u; c < 3u; c++) {
    for (var r = 0u; r < 2u; r++) {
      y[2u * c + r] = t[c][r];
      y[28u + 2u * c + r] = w[c][r];
    }
  }
  for (var c = 0u; c < 2u; c++) {
    for (var r = 0u; r < 3u; r++) { y[6u + 3u * c + r] = u[c][r]; }
  }
  for (var c = 0u; c < 4u; c++) {
    for (var r = 0u; r < 4u; r++) { y[12u + 4u * c + r] = s[c][r]; }
  }
}
