// replaces: scatter_add
// bug: the compare value is never refreshed from the result's old_value: once another invocation's exchange lands
// first, this one retries the same stale compare forever (a hang on any GPU where two invocations share a bin)
// caught-by: nothing judges it: the interpreter names the loop in its skip; Dawn on SwiftShader never fails an exchange
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
  var old = atomicLoad(&out[b]);
  loop {
    let r = atomicCompareExchangeWeak(&out[b], old, bitcast<u32>(bitcast<f32>(old) + v));
    if (r.exchanged) { break; }
  }
}
