// replaces: histogram
// bug: the per-workgroup bins are incremented with a plain load and store instead of atomicAdd (a data race):
//   invocations that hit the same bin at once lose each other's increments.
// caught-by: total-equals-length
// histogram: counts[k] = #{ i < n : keys[i] % bins == k }, for bins <= 4096.
// Entry `clear`: invocation g zeroes counts[g] (outputs arrive holding a sentinel, and the counts are accumulated).
// Entry `accumulate`: each workgroup keeps a private histogram in workgroup memory; invocation g walks the keys
// g, g + stride, ... (stride = all invocations of the dispatch) adding 1 to its bin with atomicAdd, then after a
// barrier the workgroup adds its non-zero bins into counts with atomicAdd. Integer atomics commute, so the counts
// are exact whatever order the invocations run in.
struct Params { n: u32, bins: u32 }

@group(0) @binding(0) var<storage, read> keys: array<u32>;
@group(0) @binding(1) var<storage, read_write> counts: array<atomic<u32>>;
@group(0) @binding(2) var<uniform> params: Params;

const WG: u32 = 256u;
const MAX_BINS: u32 = 4096u;
var<workgroup> local_bins: array<u32, 4096>;

@compute @workgroup_size(256)
fn clear(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let g = gid.x + gid.y * nwg.x * WG;
  if (g < params.bins) { atomicStore(&counts[g], 0u); }
}

@compute @workgroup_size(256)
fn accumulate(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
              @builtin(local_invocation_index) l: u32) {
  for (var k = l; k < params.bins; k = k + WG) { local_bins[k] = 0u; }
  workgroupBarrier();
  let stride = nwg.x * WG;
  for (var i = wid.x * WG + l; i < params.n; i = i + stride) {
    let bin = keys[i] % params.bins;
    local_bins[bin] = local_bins[bin] + 1u;
  }
  workgroupBarrier();
  for (var k = l; k < params.bins; k = k + WG) {
    let c = local_bins[k];
    if (c != 0u) { atomicAdd(&counts[k], c); }
  }
}
