// One flag set by an atomicOr on one path and an atomicStore on the other, no barrier between: the store loses
// nothing where its value holds the update's bit and is the same in every schedule (lost-updates.ts). STORE below is
// replaced by the test (trial 125 A1: a module-scope const; trial 128 A3: a var never set otherwise, a helper's
// parameter).
const HIT: u32 = 1u;
override ON: u32 = 1u;
@group(0) @binding(0) var<storage, read_write> out: array<u32>;
var<workgroup> flag: atomic<u32>;

fn put(v: u32) {
  atomicStore(&flag, v);
}

@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) li: u32) {
  let one = HIT;
  var same = HIT;
  var changed = HIT;
  changed = li | 1u;
  // Two constants, which a read could choose between (trial 131 A2): not one value in every schedule.
  var twice = HIT;
  twice = 1u;
  if ((li & 1u) == 0u) {
    atomicOr(&flag, 1u);
  } else {
    STORE;
  }
  workgroupBarrier();
  if (li == 0u) { out[0] = atomicLoad(&flag) + same + changed + twice; }
}
