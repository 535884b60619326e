// bug: scatter_add.wgsl with one compare-exchange and no retry: where another invocation's add lands first, this one
//   stores nothing and its value is lost (trial 176 B2: the failure named no cause on the interpreter).
// scatter_add: out[idx[i]] += val[i] for every i, in f32, with a compare-and-swap loop on the float's bits held in
// array<atomic<u32>> (WGSL has no float atomics), as ML libraries write scatter and segment sums. The order in which
// invocations win the swap is the scheduler's, so the last bits of each bin may differ between runs: the spec
// declares `out` order-dependent. Stage zero_bins clears the bins first (the harness fills outputs with a sentinel).
struct Params { n: u32, bins: u32 }

@group(0) @binding(0) var<storage, read> idx: array<u32>;
@group(0) @binding(1) var<storage, read> val: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<atomic<u32>>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(64)
fn zero_bins(@builtin(global_invocation_id) gid: vec3<u32>) {
  if (gid.x < params.bins) { atomicStore(&out[gid.x], 0u); }
}

@compute @workgroup_size(64)
fn scatter(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= params.n) { return; }
  let b = idx[i];
  let v = val[i];
  let old = atomicLoad(&out[b]);
  let r = atomicCompareExchangeWeak(&out[b], old, bitcast<u32>(bitcast<f32>(old) + v));
}
