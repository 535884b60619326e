// implements: reduce_sum
// The library's tree reduction, but stopping one level early and making the last addition in storage: invocation 0
// writes tree[0] to dst[w] and, after a storageBarrier() (which orders storage; a workgroupBarrier() would order only
// workgroup memory), invocation 1 adds tree[1] to it. The twin of test/wrong-kernels/lib_reduce_sum_storage_after_workgroup_barrier.wgsl,
// which has a workgroupBarrier() there: no race here. Same additions in the same order as the library kernel.
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
  storageBarrier();
  if (l == 1u && live) { dst[w] = dst[w] + tree[1]; }
}
