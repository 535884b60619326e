// replaces: scatter_add
// bug: atomicAdd on the float's bit pattern: integer addition of IEEE-754 encodings is not float addition
// caught-by: matches-reference
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
  atomicAdd(&out[idx[i]], bitcast<u32>(val[i]));
}
