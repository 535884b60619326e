// replaces: reduce_sum
// bug: the barrier between the tree's levels is gone (the one after the loads is kept): invocation l adds
//   tree[l + s], which invocation l + s writes at the same level, with nothing ordering the two.
// caught-by: no-data-race
// A GPU run records which invocation made the other access, not which line: the message names the racing write's
// line 29 alone, for the store at line 26 is ordered before every read of the tree by the barrier at line 27 (trial
// 78 B3's tree was told "one of lines 18, 22", the store before its barrier among them).
// Lines 9 to 33 are kernels/reduce_sum.wgsl's, less the barrier at its line 30.
struct Params { n: u32 }

@group(0) @binding(0) var<storage, read> src: array<f32>;
@group(0) @binding(1) var<storage, read_write> dst: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

const WG: u32 = 256u;
var<workgroup> tree: array<f32, 256>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) l: u32) {
  let w = wid.x + wid.y * nwg.x;
  let i = w * 2u * WG + l;
  var v = 0.0;
  if (i < params.n) { v = src[i]; }
  if (i + WG < params.n) { v = v + src[i + WG]; }
  tree[l] = v;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s / 2u) {
    if (l < s) { tree[l] = tree[l] + tree[l + s]; }
  }
  if (l == 0u && w * 2u * WG < params.n) { dst[w] = tree[0]; }
}
