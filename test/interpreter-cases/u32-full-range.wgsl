@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read_write> y: array<u32>;
@compute @workgroup_size(4)
fn main(@builtin(global_invocation_id) g: vec3u) {
  let i = g.x;
  y[i] = (x[i] * 2654435761u) ^ (x[i] << 31u) ^ (x[i] >> 1u);
}
