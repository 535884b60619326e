// replaces: relu
// right WGSL, wrong for its spec: relu with @workgroup_size(1). The relu spec dispatches ceil(n / 1) workgroups
//   along x, past Dawn's 65,535 per dimension for n > 65535: the plain kernel's dispatch is refused as much as the
//   sanitized one's, so no-out-of-bounds and no-data-race are errors like the other properties, never a skip that
//   blames the sanitizer.
struct P { n: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: P;

@compute @workgroup_size(1)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= params.n) { return; }
  y[i] = max(x[i], 0.0);
}
