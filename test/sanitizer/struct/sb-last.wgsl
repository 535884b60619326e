// replaces: sb
// Correct: h's last bin is a scalar member, h.last, written by invocation 15 alone.
struct Weights {
  count: u32,
  lut: array<f32, 16>,
  data: array<f32>,
}

struct Hist {
  bins: array<f32, 15>,
  last: f32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<storage, read> b: Weights;
@group(0) @binding(3) var<storage, read_write> h: Hist;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i == 15u) {
    h.last = b.lut[15];
  }
  if (i < 15u) {
    h.bins[i] = b.lut[i];
  }
  if (i >= b.count) {
    return;
  }
  let w = b.data[i];
  y[i] = w * x[i] + b.lut[i % 16u];
}
