// replaces: relu
// bug: as relu-read-before.wgsl (element 0 reads x[-1]), but the invocation that makes the bad read then leaves by
//   an early return: the sanitizer reports a finding once the kernel's body has returned, so this checks that a
//   body left by an early `return` still reports it. Caught by no-out-of-bounds naming element -1.
struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = i32(gid.x);
  if (u32(i) >= params.n) {
    return;
  }
  let left = x[i - 1];
  if (i == 0) {
    y[0] = max(x[0], 0.0) + 0.0 * left;
    return;
  }
  y[i] = max(x[i], 0.0) + 0.0 * left;
}
