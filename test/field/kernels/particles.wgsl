// One explicit Euler step over an array of structs: vec3 members are 16-byte aligned, so each Particle takes 32
// bytes (pos at 0, vel at 16, mass at 28), not the 28 a packed CPU struct would.
struct Particle {
  pos: vec3<f32>,
  vel: vec3<f32>,
  mass: f32,
}

struct Step {
  dt: f32,
  gravity: vec3<f32>,
}

@group(0) @binding(0) var<storage, read> src: array<Particle>;
@group(0) @binding(1) var<storage, read_write> dst: array<Particle>;
@group(0) @binding(2) var<uniform> step: Step;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= arrayLength(&src)) {
    return;
  }
  let p = src[i];
  dst[i].vel = p.vel + step.gravity * step.dt;
  dst[i].pos = p.pos + p.vel * step.dt;
  dst[i].mass = p.mass;
}
