// A chained scan's carry-in, the wait portability.spinWaits names: workgroup w waits for w - 1's published total.
// Each state word holds a flag in its top bit and a 31-bit sum below it.
@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read_write> y: array<u32>;
@group(0) @binding(2) var<storage, read_write> state: array<atomic<u32>>;
@group(0) @binding(3) var<storage, read_write> bins: array<atomic<u32>>;

const READY: u32 = 0x80000000u;

@compute @workgroup_size(1)
fn main(@builtin(workgroup_id) wid: vec3u) {
  let w = wid.x;
  var carry = 0u;
  if (w > 0u) {
    loop {
      let s = atomicLoad(&state[w - 1u]);
      let ready = (s & READY) != 0u;
      if (ready) {
        carry = s & ~READY;
        break;
      }
    }
  }
  // Neither of these waits: a bounded read of atomics, and a compare-exchange retry whose exit is its own update.
  var total = 0u;
  for (var i = 0u; i < 4u; i++) {
    total += atomicLoad(&bins[i]);
  }
  var old = atomicLoad(&bins[w % 4u]);
  loop {
    let r = atomicCompareExchangeWeak(&bins[w % 4u], old, old + 1u);
    if (r.exchanged) {
      break;
    }
    old = r.old_value;
  }
  let sum = carry + x[w] + total * 0u;
  y[w] = sum;
  atomicStore(&state[w], READY | sum);
}
