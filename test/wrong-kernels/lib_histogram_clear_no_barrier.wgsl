// replaces: histogram
// bug: histogram.wgsl without the barrier between clearing the private bins (atomicStore) and counting into them (atomicAdd): another invocation's count can land before a bin's clear and be erased; atomics never race in WGSL's sense, so only the result or the interpreter's lost-update check shows it
// caught-by: matches-reference
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
    for (var i = wid.x * WG + l; i < params.n; i = i + stride) {
      let b = keys[i] % params.bins;
      if (b >= lo && b < lo + WG) { atomicAdd(&local_bins[b - lo], 1u); }
    }
    workgroupBarrier();
    let c = atomicLoad(&local_bins[l]);
    if (c != 0u && lo + l < params.bins) { atomicAdd(&counts[lo + l], c); }
    workgroupBarrier();
  }
}
