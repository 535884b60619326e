// replaces: matmul_tiled
// bug: the number of K-tiles is rounded down (K / 16) instead of up, so the ragged last tile of K is never
//   accumulated: wrong whenever K is not a multiple of 16 (and all zeros for K < 16). (Dropping only the k < K check
//   on A's tile would be harmless: B's tile is zero past K, so the stray values are multiplied by 0.)
// caught-by: matches-reference
// matmul_tiled: C = A·B + bias (A M×K, B K×N, bias N, C M×N, row-major), the same function as matmul.wgsl, tiled.
// Mapping: workgroup (wx, wy) owns the 16 × 16 block of C at rows 16wy.., cols 16wx..; its 8 × 8 invocations each
// accumulate 2 × 2 outputs: invocation (lx, ly) owns rows 16wy + ly + 8i and cols 16wx + lx + 8j, i, j in {0, 1}.
// K is walked in 16-wide tiles: the workgroup stages a 16 × 16 tile of A and of B in workgroup memory (4 loads per
// invocation, zeros past the matrix edges), a barrier, 16 multiply-adds per output, a barrier before the next tile.
// Each output still sums k = 0, 1, ..., K-1 in order, then adds bias: the same rounding sequence as the naive kernel,
// so the same dot-product bound applies (the zero-padded tail adds exact zeros).
struct Params {
  M: u32,
  N: u32,
  K: u32,
}

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

const T: u32 = 16u;
var<workgroup> ta: array<array<f32, 16>, 16>; // ta[row in block][k in tile]
var<workgroup> tb: array<array<f32, 16>, 16>; // tb[k in tile][col in block]

@compute @workgroup_size(8, 8)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let row0 = wid.y * T;
  let col0 = wid.x * T;
  var acc: array<array<f32, 2>, 2>;
  for (var i = 0u; i < 2u; i++) { for (var j = 0u; j < 2u; j++) { acc[i][j] = 0.0; } }

  let tiles = params.K / T;
  for (var t = 0u; t < tiles; t++) {
    let k0 = t * T;
    for (var i = 0u; i < 2u; i++) {
      for (var j = 0u; j < 2u; j++) {
        let r = lid.y + 8u * i;
        let q = lid.x + 8u * j;
        // A tile: row row0 + r, column k0 + q.
        var va = 0.0;
        if (row0 + r < params.M && k0 + q < params.K) { va = a[(row0 + r) * params.K + k0 + q]; }
        ta[r][q] = va;
        // B tile: row k0 + r, column col0 + q.
        var vb = 0.0;
        if (k0 + r < params.K && col0 + q < params.N) { vb = b[(k0 + r) * params.N + col0 + q]; }
        tb[r][q] = vb;
      }
    }
    workgroupBarrier();
    for (var kk = 0u; kk < T; kk++) {
      for (var i = 0u; i < 2u; i++) {
        for (var j = 0u; j < 2u; j++) {
          acc[i][j] += ta[lid.y + 8u * i][kk] * tb[kk][lid.x + 8u * j];
        }
      }
    }
    workgroupBarrier();
  }

  for (var i = 0u; i < 2u; i++) {
    for (var j = 0u; j < 2u; j++) {
      let r = row0 + lid.y + 8u * i;
      let q = col0 + lid.x + 8u * j;
      if (r < params.M && q < params.N) { c[r * params.N + q] = acc[i][j] + bias[q]; }
    }
  }
}
