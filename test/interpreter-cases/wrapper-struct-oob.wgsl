// A runtime-sized array of structs inside a struct (the WebGPU samples' particle buffers): pin.items[1] of a buffer
// that holds one Particle is past the array's end, said as the access (trial 55 B5).
struct Particle { pos: vec3<f32>, vel: vec3<f32>, mass: f32 }
struct Particles { items: array<Particle> }
@group(0) @binding(0) var<storage, read> pin: Particles;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(2)
fn main(@builtin(local_invocation_index) i: u32) {
  out[i] = pin.items[i].vel.y;
}
