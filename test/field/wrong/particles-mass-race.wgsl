// replaces: particles
// bug: invocations 2k and 2k + 1 both write the masses of particles 2k and 2k + 1 (right values, no synchronization)
// caught-by: no-data-race
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
  let even = i & ~1u;
  dst[even].mass = src[even].mass;
  if (even + 1u < arrayLength(&src)) {
    dst[even + 1u].mass = src[even + 1u].mass;
  }
}
