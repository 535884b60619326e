// replaces: scan
// bug: the affine entry points fold y back into the block index with the usual device limit, w = wid.x + wid.y * 65535u,
//   instead of the dispatch's own row width num_workgroups.x: right only when the host spreads at exactly 65,535. Under
//   any other limit the second row's workgroups take block numbers from 65,535 on, past the end, so the blocks after
//   the first row are never written. The add entry points are right, so a -spread-y draw of op 'add' passes;
//   exact-spread-y runs both ops.
// caught-by: exact-spread-y
// runs: 1
// scan: inclusive prefix scan over many blocks, in two entry points per combine and a chain of dispatches.
//   scan_blocks_*: workgroup w scans the 256 elements [256w, 256w + 256) of src into dst (Hillis-Steele in workgroup
//     memory: 8 steps, offsets 1, 2, ..., 128, each step reads then writes behind a barrier) and writes the block's
//     total to totals[w]. Invocation l owns element 256w + l.
//   add_offsets_*: invocation g (global) with block b = g / 256 > 0 combines offsets[b - 1] (the scanned totals of
//     the blocks before it) in front of dst[g].
// The spec scans x -> y (totals s1), scans s1 -> t1 (totals s2), scans s2 -> t2 (totals s3), then adds t2 into t1 and
// t1 into y: up to 256^3 elements.
// Two combines share the code: *_add sums f32 (one value per element); *_affine composes affine maps
// f(v) = a v + b stored as (a, b) pairs, two f32 per element, in the order "earlier map first":
// (a1, b1) then (a2, b2) = (a1 a2, a2 b1 + b2). Composition is associative but not commutative, so a scan that
// combines in the wrong order or misplaces a block offset gives a different answer.
// Workgroups are laid out over x and y: w = wid.x + wid.y * num_workgroups.x.
struct Params { n: u32 }

@group(0) @binding(0) var<storage, read> src: array<f32>;
@group(0) @binding(1) var<storage, read_write> dst: array<f32>;
@group(0) @binding(2) var<storage, read_write> totals: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

const WG: u32 = 256u;
var<workgroup> sh: array<vec2<f32>, 256>;

fn compose(first: vec2<f32>, second: vec2<f32>) -> vec2<f32> {
  return vec2<f32>(first.x * second.x, second.x * first.y + second.y);
}

@compute @workgroup_size(256)
fn scan_blocks_add(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                   @builtin(local_invocation_index) l: u32) {
  let w = wid.x + wid.y * nwg.x;
  let i = w * WG + l;
  var v = 0.0;
  if (i < params.n) { v = src[i]; }
  sh[l] = vec2<f32>(v, 0.0);
  workgroupBarrier();
  for (var off = 1u; off < WG; off = off * 2u) {
    var t = sh[l].x;
    if (l >= off) { t = sh[l - off].x + t; }
    workgroupBarrier();
    sh[l].x = t;
    workgroupBarrier();
  }
  if (i < params.n) { dst[i] = sh[l].x; }
  if (l == WG - 1u && w * WG < params.n) { totals[w] = sh[l].x; }
}

@compute @workgroup_size(256)
fn add_offsets_add(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                   @builtin(local_invocation_index) l: u32) {
  let w = wid.x + wid.y * nwg.x;
  let i = w * WG + l;
  if (w > 0u && i < params.n) { dst[i] = src[w - 1u] + dst[i]; }
}

@compute @workgroup_size(256)
fn scan_blocks_affine(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                      @builtin(local_invocation_index) l: u32) {
  let w = wid.x + wid.y * 65535u;
  let i = w * WG + l;
  var v = vec2<f32>(1.0, 0.0);
  if (i < params.n) { v = vec2<f32>(src[2u * i], src[2u * i + 1u]); }
  sh[l] = v;
  workgroupBarrier();
  for (var off = 1u; off < WG; off = off * 2u) {
    var t = sh[l];
    if (l >= off) { t = compose(sh[l - off], t); }
    workgroupBarrier();
    sh[l] = t;
    workgroupBarrier();
  }
  if (i < params.n) {
    dst[2u * i] = sh[l].x;
    dst[2u * i + 1u] = sh[l].y;
  }
  if (l == WG - 1u && w * WG < params.n) {
    totals[2u * w] = sh[l].x;
    totals[2u * w + 1u] = sh[l].y;
  }
}

@compute @workgroup_size(256)
fn add_offsets_affine(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                      @builtin(local_invocation_index) l: u32) {
  let w = wid.x + wid.y * 65535u;
  let i = w * WG + l;
  if (w > 0u && i < params.n) {
    let before = vec2<f32>(src[2u * (w - 1u)], src[2u * (w - 1u) + 1u]);
    let r = compose(before, vec2<f32>(dst[2u * i], dst[2u * i + 1u]));
    dst[2u * i] = r.x;
    dst[2u * i + 1u] = r.y;
  }
}
