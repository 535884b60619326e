// replaces: histogram
// bug: the flush into counts is an atomicLoad then an atomicStore, not one atomicAdd (a read-modify-write that is
//   not atomic): two workgroups that flush the same bin at once lose one's count. The interpreter's schedule loses
//   counts on every case of contended-flush-few. On Dawn, contended-flush-exact's 48 dispatches show it but for about
//   0.4% of runs on a quiet machine, and more often beside two CPU-bound processes (one CI run of 2026-12-06 missed it,
//   SwiftShader's threads interleaving less): a measure of chance, which bench/histogram-lost-update.ts gives, not a
//   test that can fail on its own.
// caught-by: contended-flush-few
// backends: interpreter
// runs: 5
// histogram: counts[k] = #{ i < n : keys[i] % bins == k }, for bins <= 4096.
// Entry `clear`: invocation g zeroes counts[g] (outputs arrive holding a sentinel, and the counts are accumulated).
// Entry `accumulate`: each workgroup keeps a private histogram of 256 bins in workgroup memory and takes the bins in
// chunks of 256: for each chunk it clears its private bins, invocation g walks the keys g, g + stride, ... (stride =
// all invocations of the dispatch) adding 1 to the private bin of each key that falls in the chunk with atomicAdd,
// then after a barrier adds its non-zero private bins into counts with atomicAdd. Integer atomics commute, so the
// counts are exact whatever order the invocations run in.
// Why chunks and not one private bin per possible bin: on SwiftShader a dispatch's cost grows faster than linearly
// with the size of a workgroup atomic array (4096 slots: about 0.4 s per dispatch; 256: about 10 ms), so
// 4096 bins are 16 passes over the keys instead.
struct Params { n: u32, bins: u32 }

@group(0) @binding(0) var<storage, read> keys: array<u32>;
@group(0) @binding(1) var<storage, read_write> counts: array<atomic<u32>>;
@group(0) @binding(2) var<uniform> params: Params;

const WG: u32 = 256u;
var<workgroup> local_bins: array<atomic<u32>, 256>;

@compute @workgroup_size(256)
fn clear(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let g = gid.x + gid.y * nwg.x * WG;
  if (g < params.bins) { atomicStore(&counts[g], 0u); }
}

@compute @workgroup_size(256)
fn accumulate(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
              @builtin(local_invocation_index) l: u32) {
  let stride = nwg.x * WG;
  // params.bins is uniform, so every invocation takes the same chunks and the barriers stay in uniform control flow.
  for (var lo = 0u; lo < params.bins; lo = lo + WG) {
    atomicStore(&local_bins[l], 0u);
    workgroupBarrier();
    for (var i = wid.x * WG + l; i < params.n; i = i + stride) {
      let b = keys[i] % params.bins;
      if (b >= lo && b < lo + WG) { atomicAdd(&local_bins[b - lo], 1u); }
    }
    workgroupBarrier();
    let c = atomicLoad(&local_bins[l]);
    if (c != 0u && lo + l < params.bins) { atomicStore(&counts[lo + l], atomicLoad(&counts[lo + l]) + c); }
    workgroupBarrier();
  }
}
