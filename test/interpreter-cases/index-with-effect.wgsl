// An index with an effect is evaluated once (patches/README.md §22): stream compaction's `y[atomicAdd(&n[0], 1u)]`,
// and a read whose index counts its readers. x = (1, 0, 2, 3): three slots kept, four reads, counted once each:
// y = (7, 7, 7, 0, 1, 0, 2, 3, 3, 4). Upstream counted each index three times and the run failed.
@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read_write> y: array<u32>;
@group(0) @binding(2) var<storage, read_write> n: array<atomic<u32>>;

@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) i: u32) {
  if (x[i] != 0u) {
    y[atomicAdd(&n[0], 1u)] = 7u;
  }
  y[4u + i] = x[min(atomicAdd(&n[1], 1u), 0u) + i];
  storageBarrier();
  if (i == 0u) {
    y[8] = atomicLoad(&n[0]);
    y[9] = atomicLoad(&n[1]);
  }
}
