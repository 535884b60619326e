// sigmoid computed in f16 between f32 buffers, as mixed-precision inference code does: the input converted to f16,
// the logistic function in f16, the result widened back. Within f16's precision it is right; against sigmoid's f32
// bound it is not, and its failure must say that the f16 math is why (test/field.test.ts).
enable f16;

struct Params { n: u32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * 64u;
  if (i >= params.n) { return; }
  // Past |x| = 16 sigmoid is 0 or 1 within f16's spacing; the clamp keeps exp's f16 result finite.
  let h = f16(clamp(x[i], -16.0, 16.0));
  let s = 1.0h / (1.0h + exp(-h));
  y[i] = f32(s);
}
