// A read-modify-write that cannot change the word is a read, and takes an atomicLoad's schedule (early-loads.ts,
// trial 123 A2). Each workgroup reads the count and stores one more: not one update, so on a GPU whose workgroups
// run at once each may read 0 and the count end at 1. READ below is replaced by the test.
@group(0) @binding(0) var<storage, read_write> count: atomic<u32>;

@compute @workgroup_size(1)
fn main() {
  let cur = READ;
  atomicStore(&count, cur + 1u);
}
