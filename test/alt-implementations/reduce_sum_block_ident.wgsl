// implements: reduce_sum
// order: each workgroup folds a 512-element block, each invocation first adding the pair (l, l + 256), then a tree; its
// index variable is named 'block', a word wgsl_reflect scanned as a keyword (patches/README.md §14).
struct Params { n: u32 }

@group(0) @binding(0) var<storage, read> src: array<f32>;
@group(0) @binding(1) var<storage, read_write> dst: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

var<workgroup> acc: array<f32, 256>;

fn at(i: u32) -> f32 {
  if (i < params.n) { return src[i]; }
  return 0.0;
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) l: u32) {
  let block = wid.x + wid.y * nwg.x;
  let base = block * 512u;
  acc[l] = at(base + l) + at(base + l + 256u);
  workgroupBarrier();
  var half = 128u;
  loop {
    if (half == 0u) { break; }
    if (l < half) {
      acc[l] = acc[l] + acc[l + half];
    }
    workgroupBarrier();
    half = half / 2u;
  }
  if (l == 0u && base < params.n) {
    dst[block] = acc[0];
  }
}
