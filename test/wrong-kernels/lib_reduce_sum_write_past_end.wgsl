// replaces: reduce_sum
// bug: the final write's guard is w * 512 <= n instead of < n: when n is a multiple of 512, the workgroup just past
//   the end (there is one only in a grid spread over y) writes its empty sum to dst[n / 512], one past the end of the
//   partials (the mutation operator EqualityOperator's mutant of line 32). A GPU drops the write (robust buffer access),
//   so no output changes: the sanitizer sees it.
// caught-by: no-out-of-bounds-spread-y
// runs: 1
// reduce_sum: one pass of a tree reduction, sum of src[0..n) into dst[0..ceil(n / 512)).
// Mapping: workgroup w owns the 512 elements [512w, 512w + 512); invocation l loads src[512w + l] and
// src[512w + l + 256] (0 past n) and adds them, then a stride-halving tree in workgroup memory
// (strides 128, 64, ..., 1, a barrier between levels) leaves the block's sum in slot 0, which invocation 0 writes
// to dst[w]. The spec chains passes (x -> partials -> ... -> out) until one value is left. Workgroups are laid out
// over x and y (65535 per dimension at most), so w = wid.x + wid.y * num_workgroups.x.
// Rounding: padding adds exact zeros, so an element meets a rounding addition only at the levels whose sibling
// subtree holds a real element: at most ceil(log2 n) of them over all passes (see properties/reduce_sum).
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
    workgroupBarrier();
  }
  if (l == 0u && w * 2u * WG <= params.n) { dst[w] = tree[0]; }
}
