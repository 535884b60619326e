// One component of a vector written by index, as pixel code does (patches/README.md §23): by a constant, by a loop's
// counter, by a compound assignment. x's words are 1..8: y = (4, 3, 9, 1, 8, 7, 13, 5). Upstream took a component
// by name only (`.x`), printed "Type vec4f is not an array", and the kernel was skipped on the interpreter.
@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4<f32>>;

@compute @workgroup_size(2)
fn main(@builtin(local_invocation_index) i: u32) {
  for (var k = 0u; k < 4u; k++) {
    y[i][k] = x[i][3u - k];
  }
  y[i][2] += 7.0;
}
