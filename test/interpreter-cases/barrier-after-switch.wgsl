// A barrier right after a switch, a loop, or a block that ends in one: the interpreter ran it inside the step of the
// last statement before it, without holding the invocation, so invocation 0 loaded its own add alone (1 where every
// GPU loads 6). x = [1, 2, 3, 4]; each load below comes after every invocation's adds.
@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read_write> y: array<u32>;

var<workgroup> hits: array<atomic<u32>, 4>;

@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) i: u32) {
  switch (x[i] % 2u) {
    case 0u: {
      atomicAdd(&hits[0], 1u);
    }
    default: {
      atomicAdd(&hits[0], 2u);
    }
  }
  workgroupBarrier();
  y[4u * i] = atomicLoad(&hits[0]);
  if (x[i] < 100u) {
    for (var k = 0u; k < 2u; k++) {
      atomicAdd(&hits[1], 1u);
    }
  }
  workgroupBarrier();
  y[4u * i + 1u] = atomicLoad(&hits[1]);
  loop {
    atomicAdd(&hits[2], 1u);
    switch (i) {
      default: {
        atomicAdd(&hits[2], 10u);
      }
    }
    break;
  }
  workgroupBarrier();
  y[4u * i + 2u] = atomicLoad(&hits[2]);
  if (i < 10u) {
    var k = 0u;
    while (k < 1u) {
      k++;
      switch (k) {
        case 1u: {
          atomicAdd(&hits[3], 5u);
        }
        default: {
        }
      }
    }
  }
  workgroupBarrier();
  y[4u * i + 3u] = atomicLoad(&hits[3]);
}
