// implements: scan
// order: work-efficient Blelloch block scans (an up-sweep that builds a tree of partial sums, a down-sweep that hands
// each node the prefix before it, then each element combined behind its exclusive prefix) instead of Hillis–Steele:
// up to 2 log2(256) = 16 roundings per block on a term's path, against the library's 8. Affine maps keep their order
// (the earlier map always on the left), so the scan of compositions stays exact. Offsets are added back as the
// library does.
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

// first then second: a sum of .x, or the composition of affine maps.
fn combine(first: vec2<f32>, second: vec2<f32>, affine: bool) -> vec2<f32> {
  if (affine) { return compose(first, second); }
  return vec2<f32>(first.x + second.x, 0.0);
}

// Every invocation calls it (barriers inside): sh[l] goes from the inputs to the inclusive prefixes.
fn blelloch(l: u32, affine: bool) {
  let own = sh[l];
  workgroupBarrier();
  for (var d = 1u; d < WG; d = d * 2u) {
    let r = (l + 1u) * 2u * d - 1u;
    if (r < WG) { sh[r] = combine(sh[r - d], sh[r], affine); }
    workgroupBarrier();
  }
  if (l == 0u) {
    if (affine) { sh[WG - 1u] = vec2<f32>(1.0, 0.0); } else { sh[WG - 1u] = vec2<f32>(0.0, 0.0); }
  }
  workgroupBarrier();
  for (var d = WG / 2u; d >= 1u; d = d / 2u) {
    let r = (l + 1u) * 2u * d - 1u;
    if (r < WG) {
      let left = sh[r - d];
      sh[r - d] = sh[r];
      sh[r] = combine(sh[r], left, affine);
    }
    workgroupBarrier();
  }
  sh[l] = combine(sh[l], own, affine);
  workgroupBarrier();
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
  blelloch(l, false);
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
  let w = wid.x + wid.y * nwg.x;
  let i = w * WG + l;
  var v = vec2<f32>(1.0, 0.0);
  if (i < params.n) { v = vec2<f32>(src[2u * i], src[2u * i + 1u]); }
  sh[l] = v;
  workgroupBarrier();
  blelloch(l, true);
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
  let w = wid.x + wid.y * nwg.x;
  let i = w * WG + l;
  if (w > 0u && i < params.n) {
    let before = vec2<f32>(src[2u * (w - 1u)], src[2u * (w - 1u) + 1u]);
    let r = compose(before, vec2<f32>(dst[2u * i], dst[2u * i + 1u]));
    dst[2u * i] = r.x;
    dst[2u * i + 1u] = r.y;
  }
}
