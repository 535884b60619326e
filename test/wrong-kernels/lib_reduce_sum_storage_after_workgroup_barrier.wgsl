// replaces: reduce_sum
// bug: the tree stops one level early and the last addition is made in storage: invocation 0 writes tree[0] to
//   dst[w], then, after only a workgroupBarrier(), invocation 1 reads dst[w] and writes it back plus tree[1]. A
//   workgroupBarrier() orders workgroup memory, not storage (WGSL §"Synchronization Built-in Functions"), so the write
//   and the read-add of dst[w] are a data race: a storageBarrier() is missing. The values are those of the library
//   kernel whenever the GPU happens to order the two, so only a race check sees it: the interpreter's, and a sanitized
//   GPU run's, which counts the barriers of each address space apart (harness/trace/sanitize.ts; it counted every
//   barrier into one phase and missed this race).
// caught-by: no-data-race
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
  // The tree stops at two slots; the last addition is made in dst.
  for (var s = WG / 2u; s > 1u; s = s / 2u) {
    if (l < s) { tree[l] = tree[l] + tree[l + s]; }
    workgroupBarrier();
  }
  let live = w * 2u * WG < params.n;
  if (l == 0u && live) { dst[w] = tree[0]; }
  workgroupBarrier();
  if (l == 1u && live) { dst[w] = dst[w] + tree[1]; }
}
