// An override whose initializer reads another, set by the pipeline: WGSL evaluates it with the pipeline's constants.
// Upstream evaluated SHIFT with WG's default (64 / 16 = 4) when WG = 8 (8 / 16 = 0; trial 46). And `var q = *p;` holds
// a copy: upstream made q another name for the caller's variable (trial 46).
@group(0) @binding(0) var<storage, read_write> y: array<u32>;

override WG: u32 = 64;
override SHIFT: u32 = WG / 16u;
override SUM: u32 = SHIFT + WG;

fn bumpCopy(p: ptr<function, u32>) -> u32 {
  var q = *p;
  q = q + 1u;
  let r = *p;
  *p = 50u;
  return q * 100u + r;
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) i: u32) {
  if (i == 0u) {
    var acc = 7u;
    let got = bumpCopy(&acc);
    y[0] = SHIFT;
    y[1] = SUM;
    y[2] = got;
    y[3] = acc;
  }
}
