// implements: reduce_sum
// Each workgroup adds its 512 elements into one workgroup word with a compare-and-swap loop on the f32's bits (WGSL
// has no float atomics), the way ML libraries' one-pass reductions do; invocation 0 then writes the word. The order
// in which the 256 updates land is unspecified, so the partial sums' last bits may differ between runs on a GPU:
// `deterministic` holds its output to twice the bound (harness/run/float-atomics.ts), as for a spec that declares it
// order-dependent.
struct Params { n: u32 }

@group(0) @binding(0) var<storage, read> src: array<f32>;
@group(0) @binding(1) var<storage, read_write> dst: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

var<workgroup> total: atomic<u32>;

fn addTo(v: f32) {
  var seen = atomicLoad(&total);
  loop {
    let swapped = atomicCompareExchangeWeak(&total, seen, bitcast<u32>(bitcast<f32>(seen) + v));
    if (swapped.exchanged) { break; }
    seen = swapped.old_value;
  }
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) l: u32) {
  let w = wid.x + wid.y * nwg.x;
  let first = w * 512u;
  // Workgroup memory starts zeroed (0u is 0.0's bits); the barrier makes the zero every update's starting point.
  workgroupBarrier();
  var v = 0.0;
  if (first + l < params.n) { v = src[first + l]; }
  if (first + l + 256u < params.n) { v = v + src[first + l + 256u]; }
  addTo(v);
  workgroupBarrier();
  if (l == 0u && first < params.n) { dst[w] = bitcast<f32>(atomicLoad(&total)); }
}
