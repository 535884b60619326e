// Builtins as members of a struct parameter (WGSL §12.3.1.1 allows either form).
struct Ids {
  @builtin(global_invocation_id) gid: vec3u,
  @builtin(local_invocation_index) li: u32,
  @builtin(workgroup_id) wg: vec3u,
  @builtin(num_workgroups) nwg: vec3u,
}

@group(0) @binding(0) var<storage, read_write> y: array<u32>;

@compute @workgroup_size(4)
fn main(ids: Ids, @builtin(local_invocation_id) lid: vec3u) {
  y[ids.gid.x] = ids.gid.x * 1000u + ids.li * 100u + ids.wg.x * 10u + ids.nwg.x + lid.x * 10000u;
}
