@group(0) @binding(0) var<storage, read_write> y: array<f32>;

const SEED = -0x1.fffffep+127f;
const HALF = 0x.8p0;

@compute @workgroup_size(1)
fn main() {
  var m = SEED;
  m = max(m, -0x1p+4f);
  y[0] = -0x1.fffffep+127f;
  y[1] = 0x1.8p1f;
  y[2] = 0x1p-3;
  y[3] = 0x10p0f;
  y[4] = 0X1P4f;
  y[5] = 0x1.;
  y[6] = 0x1Fp-1f;
  y[7] = 0xA.Bp-2;
  y[8] = m;
  y[9] = y[1] - 0x1p1;
  y[10] = HALF * vec2f(0x1p1, -0x1.8p-1).y;
  y[11] = 0x1p-126f;
  y[12] = f32(0x10i) + f32(0X10u);
  y[13] = .5e1 + 5. + 1.5E2;
}
