// A block in a loop's body, and in a switch case's, keeps its declarations to itself: after `{ var step = 0u; }` the
// loop adds the outer step, 1 (trial 218 A1: upstream spread the block into the loop's body, and added 0).
@group(0) @binding(0) var<storage, read_write> out: array<u32>;

@compute @workgroup_size(2)
fn main(@builtin(local_invocation_index) li: u32) {
  var step = 1u;
  var s = 0u;
  var k = 0u;
  loop {
    {
      var step = 0u;
      s += step;
    }
    s += step;
    k++;
    if (k == 3u) { break; }
  }
  switch (li) {
    case 0u: {
      {
        var step = 5u;
        s += step;
      }
      s += step * 10u;
    }
    default: {
      s += 100u;
    }
  }
  out[li] = s;
}
