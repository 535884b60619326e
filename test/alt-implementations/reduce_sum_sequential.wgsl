// implements: reduce_sum
// order: each workgroup's 512 elements summed left to right by one invocation (recursive summation), no tree:
// correct, but each element may meet up to 511 rounding additions per pass, far more than the library's
// ceil(log2 n). The family's default bound must hold for it (Higham eq. 4.4, any order).
struct Params { n: u32 }

@group(0) @binding(0) var<storage, read> src: array<f32>;
@group(0) @binding(1) var<storage, read_write> dst: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) l: u32) {
  let w = wid.x + wid.y * nwg.x;
  let start = w * 512u;
  if (l != 0u || start >= params.n) { return; }
  let end = min(start + 512u, params.n);
  var s = 0.0;
  for (var i = start; i < end; i = i + 1u) { s = s + src[i]; }
  dst[w] = s;
}
