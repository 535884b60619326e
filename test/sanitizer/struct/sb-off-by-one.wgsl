// replaces: sb
// Wrong: the guard lets i = n through, which reads b.data[n], one past the end of its n weights (then x[n], y[n]).
struct Weights {
  count: u32,
  lut: array<f32, 16>,
  data: array<f32>,
}

struct Hist {
  bins: array<f32, 16>,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<storage, read> b: Weights;
@group(0) @binding(3) var<storage, read_write> h: Hist;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i < 16u) {
    h.bins[i] = b.lut[i];
  }
  if (i > b.count) {
    return;
  }
  let w = b.data[i];
  y[i] = w * x[i] + b.lut[i % 16u];
}
