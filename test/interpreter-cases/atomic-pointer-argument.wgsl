// Atomics through a pointer parameter, as a float-add helper takes them (`fn atomicAddF32(p: ptr<storage,
// atomic<u32>, read_write>, v: f32)`): every atomic builtin reads and writes the pointee, in storage and in
// workgroup memory. Upstream read the pointer itself ("ScalarData2: Invalid type r", a trial's).
@group(0) @binding(0) var<storage, read_write> cnt: array<atomic<u32>>;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
var<workgroup> local: atomic<u32>;

fn bump(p: ptr<storage, atomic<u32>, read_write>, by: u32) -> u32 {
  let a = atomicLoad(p);
  atomicStore(p, a + by);
  return atomicAdd(p, 1u);
}

fn addF32(p: ptr<storage, atomic<u32>, read_write>, v: f32) {
  var old = atomicLoad(p);
  loop {
    let r = atomicCompareExchangeWeak(p, old, bitcast<u32>(bitcast<f32>(old) + v));
    if (r.exchanged) { break; }
    old = r.old_value;
  }
}

fn count(p: ptr<workgroup, atomic<u32>>) {
  atomicOr(p, 0u);
  atomicMax(p, 3u);
  atomicAdd(p, 2u);
}

@compute @workgroup_size(1)
fn main() {
  atomicStore(&cnt[1], 10u);
  out[0] = bump(&cnt[1], 5u);
  out[1] = atomicLoad(&cnt[1]);
  atomicStore(&cnt[2], bitcast<u32>(1.5));
  addF32(&cnt[2], 2.25);
  out[2] = u32(bitcast<f32>(atomicLoad(&cnt[2])) * 4.0);
  count(&local);
  out[3] = atomicExchange(&local, 0u);
}
