// Switch cases of several statements, a loop among them, and a buffer read only in a case's fourth statement:
// wgsl_reflect's parser kept each case's first two statements (patches/README.md §42), silently. x = [0, 1, 2, 3].
@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read_write> y: array<u32>;
@group(0) @binding(2) var<storage, read> extra: array<u32>;

@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) i: u32) {
  var s = 0u;
  switch (x[i]) {
    case 1u, 3u: {
      s += 1u;
      s += 10u;
      s += 100u;
      s += extra[0];
    }
    default: {
      for (var k = 0u; k < 2u; k++) {
        s += 3u;
      }
      s += 20u;
      s *= 2u;
    }
  }
  y[i] = s;
}
