// Workgroup memory as WebGPU counts it against maxComputeWorkgroupStorageSize (16,384 bytes by default): only the
// var<workgroup> an entry point statically uses, through the functions it calls too, each rounded up to 16 bytes.
// The module declares 24,592 bytes in all; `small` uses 8,208 of them and `big` 16,400, past the limit (a trial's
// 16,640-byte quantizer passed on the interpreter, Dawn refused its pipeline).
@group(0) @binding(0) var<storage, read_write> y: array<f32>;

var<workgroup> half_a: array<f32, 2048>;  // 8,192 bytes
var<workgroup> half_b: array<f32, 2048>;  // 8,192 bytes
var<workgroup> flag: u32;                 // 4 bytes, counted as 16
var<workgroup> other: array<f32, 2048>;   // 8,192 bytes, used by no entry point here

fn last_of_b() -> f32 {
  return half_b[2047];
}

@compute @workgroup_size(4)
fn small(@builtin(local_invocation_index) i: u32) {
  // A local named like a module variable is not a use of it.
  var half_b = 2.0;
  half_a[i] = f32(i) * half_b;
  flag = 1u;
  workgroupBarrier();
  y[i] = half_a[3u - i] + f32(flag);
}

@compute @workgroup_size(4)
fn big(@builtin(local_invocation_index) i: u32) {
  half_a[i] = f32(i);
  flag = 1u;
  // Used through a call, on a path no invocation takes: still a use.
  if (i > 100u) {
    y[i] = last_of_b();
  }
  workgroupBarrier();
  y[i] = half_a[3u - i] + f32(flag);
}
