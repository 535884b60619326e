// replaces: px
// bug: a tile of 64 pixels of 4 channels in workgroup memory, filled by a channel loop that runs c up to 4:
//   tile[l][4] is past the end of tile[l], an array<f32, 4> (within the tile's memory: Tint's clamp writes
//   tile[l][3] again). Caught by no-out-of-bounds naming tile[l][4], not an element past the end of the tile.
struct Params {
  n: u32,
  gain: f32,
}

@group(0) @binding(0) var<storage, read> src: array<array<f32, 4>>;
@group(0) @binding(1) var<storage, read_write> dst: array<array<f32, 4>>;
@group(0) @binding(2) var<uniform> params: Params;

var<workgroup> tile: array<array<f32, 4>, 64>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) l: u32) {
  let i = min(gid.x, params.n - 1u);
  var p = src[i];
  for (var c = 0u; c <= 4u; c++) {
    tile[l][c] = p[min(c, 3u)] * params.gain;
  }
  workgroupBarrier();
  if (gid.x >= params.n) {
    return;
  }
  for (var c = 0u; c < 4u; c++) {
    dst[i][c] = tile[l][c];
  }
}
