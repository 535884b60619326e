// implements: relu
// order: the guard reads the uniform n only in a switch's selector, where wgsl_reflect's search did not look: params
// was left out of the entry's bindings and every GPU engine's run was a bind-group error (patches/README.md §40).
struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  switch u32(i < params.n) {
    case 0u: {
      return;
    }
    default: {}
  }
  y[i] = max(x[i], 0.0);
}
