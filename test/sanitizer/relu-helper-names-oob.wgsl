// relu-helper-names.wgsl with a read one row past the tile's end. Workgroup tiles whose sizes are overrides named as the sanitizer's helpers
// name their parameters (row, tag): the rewrite must not hide them (trial 112 B1: a COO kernel's buffer `row` made
// it fail to compile, and both checks were skipped).
struct Params {
  n: u32,
}

override row: u32 = 2u;
override tag: u32 = 64u;

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

var<workgroup> tile: array<array<f32, 32>, row>;
var<workgroup> flat: array<f32, tag>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) li: u32) {
  let i = gid.x;
  let inside = i < params.n;
  var v = 0.0;
  if (inside) {
    v = x[i];
  }
  tile[li / 32u][li % 32u] = max(v, 0.0);
  workgroupBarrier();
  flat[li] = tile[li / 32u + 1u][li % 32u];
  workgroupBarrier();
  if (inside) {
    y[i] = flat[li];
  }
}
