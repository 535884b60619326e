// replaces: reduce_max
// bug: the block index reads num_workgroups.y for .x: w = wid.x + wid.y * nwg.y. Under one row of workgroups (n up
//   to 65,535 blocks) nothing changes; spread over y, the second row redoes blocks 2.. of the first and the blocks past
//   x + 1 are read by no one, so a max there is missed (the mutation operator BuiltinAxisSwap's mutant of line 20).
// caught-by: max-in-each-block-spread-y
// runs: 1
// reduce_max: one pass of a tree reduction, max of src[0..n) into dst[0..ceil(n / 512)).
// Mapping: workgroup w owns the 512 elements [512w, 512w + 512); invocation l takes the max of src[512w + l] and
// src[512w + l + 256], where an index past n reads src[512w] instead (max is idempotent, so repeating a member of the
// block changes nothing, and no -inf sentinel is needed: WGSL lets implementations assume there are no infinities).
// A stride-halving tree in workgroup memory (strides 128, ..., 1, a barrier between levels) leaves the block's max in
// slot 0, which invocation 0 writes to dst[w]. The spec chains passes until one value is left.
// Workgroups are laid out over x and y, so w = wid.x + wid.y * num_workgroups.x. Exact: max never rounds.
struct Params { n: u32 }

@group(0) @binding(0) var<storage, read> src: array<f32>;
@group(0) @binding(1) var<storage, read_write> dst: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

const WG: u32 = 256u;
var<workgroup> tree: array<f32, 256>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) l: u32) {
  let w = wid.x + wid.y * nwg.y;
  let base = w * 2u * WG;
  let i = base + l;
  var v = 0.0;
  if (base < params.n) {
    v = src[base];
    if (i < params.n) { v = max(v, src[i]); }
    if (i + WG < params.n) { v = max(v, src[i + WG]); }
  }
  tree[l] = v;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s / 2u) {
    if (l < s) { tree[l] = max(tree[l], tree[l + s]); }
    workgroupBarrier();
  }
  if (l == 0u && base < params.n) { dst[w] = tree[0]; }
}
