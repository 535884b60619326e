// Atomics in what a pointer to a whole array or struct holds, `&(*a)[i]` and `&(*b).count` (trial 132 A4: upstream
// indexed a copy, and every update was lost), and such an element's address in a let or passed on (trial 135 B3: "not
// supported"), and an element of a member passed on as a pointer to its array (trial 137 A4: lost). Four bumps of
// each wa[i], four of ws.count, two of each wt.n[j].
struct S {
  count: atomic<u32>,
  pad: u32,
}

struct T {
  n: array<atomic<u32>, 2>,
}

@group(0) @binding(0) var<storage, read_write> out: array<u32>;
var<workgroup> wa: array<atomic<u32>, 4>;
var<workgroup> ws: S;
var<workgroup> wt: T;

fn bumpA(a: ptr<workgroup, array<atomic<u32>, 4>>, i: u32) {
  atomicAdd(&(*a)[i], 1u);
}

fn bump(p: ptr<workgroup, atomic<u32>>) {
  atomicAdd(p, 1u);
}

fn viaLet(a: ptr<workgroup, array<atomic<u32>, 4>>, i: u32) {
  let p = &(*a)[i];
  atomicAdd(p, 1u);
}

fn passOn(a: ptr<workgroup, array<atomic<u32>, 4>>, i: u32) {
  bump(&(*a)[i]);
}

fn addAt(a: ptr<workgroup, array<atomic<u32>, 2>>, j: u32) {
  atomicAdd(&(*a)[j], 1u);
}

fn bumpMember(t: ptr<workgroup, T>, j: u32) {
  addAt(&(*t).n, j);
}

fn bumpS(b: ptr<workgroup, S>) {
  atomicAdd(&(*b).count, 1u);
}

@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) lid: u32) {
  bumpA(&wa, lid);
  bumpA(&wa, 3u - lid);
  viaLet(&wa, lid);
  passOn(&wa, lid);
  bumpS(&ws);
  bumpMember(&wt, lid & 1u);
  workgroupBarrier();
  if (lid == 0u) {
    out[0] = atomicLoad(&wa[0]);
    out[1] = atomicLoad(&ws.count);
    out[2] = atomicLoad(&wa[3]);
    out[3] = atomicLoad(&wt.n[1]);
  }
}
