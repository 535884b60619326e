// `continue` inside a switch continues the loop around it, through a for's increment and a loop's continuing block;
// `break` inside a switch leaves the switch only. Upstream gave such a continue the switch's id: "Continue statement
// used outside of a loop", a skip. x = [1, 2, 3, 4].
@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read_write> y: array<u32>;

@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) i: u32) {
  var s = 0u;
  for (var k = 0u; k < 6u; k++) {
    switch (k % 3u) {
      case 0u: {
        continue;
      }
      case 1u: {
        s += 10u;
        break;
      }
      default: {
        s += x[i];
      }
    }
    s += 100u;
  }
  var m = 0u;
  loop {
    m++;
    switch (m % 2u) {
      case 0u: {
        continue;
      }
      default: {
        s += 1000u;
      }
    }
    continuing {
      break if m >= 4u;
    }
  }
  y[i] = s;
}
