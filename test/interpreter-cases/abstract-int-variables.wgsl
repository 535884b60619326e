// A variable, let or parameter initialised from an abstract int takes its declared type, else i32 (patches/README.md
// §36): upstream kept an abstract 0 unsigned, so s - 5, acc += k - 3 and a reverse loop's i >= 0 went wrong.
@group(0) @binding(0) var<storage, read_write> y: array<f32>;

const MBIG = 3000000000;

fn neg(a: i32) -> i32 {
  var b = a;
  b -= 5;
  return b;
}

@compute @workgroup_size(1)
fn main() {
  var f = 1.0;
  f -= 1.5;
  y[0] = f;
  var g: f32 = 1.0;
  g -= 1.5;
  y[1] = g;
  var s: i32 = 0;
  s = s - 5;
  y[2] = f32(s);
  var count = 0;
  for (var i = 3; i >= 0; i--) { count += 1; if (count > 10) { break; } }
  y[3] = f32(count);
  y[4] = f32(neg(0));
  var h = 2.0;
  h = h * 0.25;
  y[5] = h;
  var acc: i32 = 0;
  for (var k = 0; k < 4; k++) { acc += k - 3; }
  y[6] = f32(acc);
  var q = 7;
  q = q / 2 - 5;
  y[7] = f32(q);
  // A const with no type stays abstract: here it meets u32s (as an i32 it would wrap negative).
  const BIG = 3000000000;
  y[8] = f32(BIG / 1000u);
  y[9] = f32(MBIG / 1000u);
}
