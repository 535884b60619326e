// Four invocations fill one vec4 of a workgroup tile, a component each, by index (patches/README.md §23): WGSL lets a
// write of one component access the whole vector (§"Component Reference from Vector Memory View"), so they race, and
// the race is said as that, not as a wrong index. The values come out right on every engine here.
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
var<workgroup> tile: array<vec4<f32>, 2>;

@compute @workgroup_size(8)
fn main(@builtin(local_invocation_index) i: u32) {
  tile[i / 4u][i % 4u] = f32(i);
  workgroupBarrier();
  y[i] = tile[i / 4u][i % 4u];
}
