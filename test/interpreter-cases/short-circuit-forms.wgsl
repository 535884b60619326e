// A call to the kernel's own function in the right operand of && or || wherever it is evaluated first in its
// statement: WGSL calls it only where the left operand does not decide (§8.6), and the interpreter runs each form so
// (short-circuits.ts). x = [1, 2, 3, 0], one invocation each. n[0..9] count each form's calls, n[10..21] its results.
@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read_write> n: array<atomic<u32>>;

fn push(slot: u32, v: u32) -> bool {
  atomicAdd(&n[slot], 1u);
  return v >= 2u;
}

fn count(slot: u32, b: bool) {
  if (b) {
    atomicAdd(&n[slot], 1u);
  }
}

fn positive(v: u32) -> bool {
  return v > 0u && push(7u, v);
}

@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) i: u32) {
  let v = x[i];
  let a = v > 1u && push(0u, v);
  count(10u, a);
  var b: bool = !(v == 0u ||
    push(1u, v));
  count(11u, b);
  var d = false;
  d = (v == 3u || push(2u, v));
  count(12u, d);
  if (v == 1u) {
    atomicAdd(&n[13], 1u);
  } else if (v != 0u && push(3u, v)) {
    atomicAdd(&n[14], 1u);
  } else {
    atomicAdd(&n[15], 1u);
  }
  var k = 0u;
  while (k < v && push(4u, v)) {
    k++;
  }
  atomicAdd(&n[16], k);
  var s = 0u;
  for (var j = 0u; j < v && push(5u, v); j++) {
    if (j == 1u) {
      continue;
    }
    s += 1u;
  }
  atomicAdd(&n[17], s);
  var m = 0u;
  loop {
    m++;
    continuing {
      break if m >= v || push(6u, m);
    }
  }
  atomicAdd(&n[18], m);
  count(19u, positive(v));
  if ((v > 2u && push(8u, v)) || v == 1u) {
    atomicAdd(&n[20], 1u);
  }
  var flags: array<bool, 4>;
  flags[i] = v > 1u && push(9u, v);
  count(21u, flags[i]);
}
