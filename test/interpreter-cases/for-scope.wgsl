// A for loop's declaration is scoped to the loop: `i` after each loop is the outer let again (trial 129 A2: upstream
// declared the loop's `i` in the enclosing block, so it was 3 after the first loop). A barrier in the second loop
// keeps the wrapping block's stepping honest.
@group(0) @binding(0) var<storage, read_write> out: array<u32>;

@compute @workgroup_size(2)
fn main(@builtin(local_invocation_index) li: u32) {
  let i = li;
  var s = 0u;
  for (var i = 0u; i < 3u; i++) {
    s += i;
    if (i == 5u) { break; }
  }
  for (var i = 10u; i < 12u; i++) {
    s += i;
    workgroupBarrier();
  }
  out[i] = i * 100u + s;
}
