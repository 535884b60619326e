// replaces: relu
// bug: relu-halo-tile.wgsl without its barrier: the read of the next row's element (line 24) races with its write (line 21).
struct Params {
  n: u32,
}
const HALO: u32 = 1u;

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

var<workgroup> tile: array<array<f32, 16>, 6>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = gid.x;
  let r = lid / 16u;
  let c = lid % 16u;
  var v = 0.0;
  if (i < params.n) { v = x[i]; }
  tile[r + HALO][c] = v;
  // (no barrier)
  if (i < params.n) {
    y[i] = max(tile[r + HALO][c], 0.0) + select(0.0, tile[(r + 1u) % 4u + HALO][c], false);
  }
}
