// replaces: transpose
// bug: the barrier between writing the tile and reading it transposed is gone: invocation (lx, ly) reads
//   tile[lx][ly], which another invocation writes, with nothing ordering the two (a new user's kernel: Dawn's
//   sanitizer missed it until its entry waited for the zeroing of workgroup memory).
// caught-by: no-data-race
// transpose: b = aᵀ, a is rows × cols (row-major), b is cols × rows, tiled through workgroup memory.
// Mapping: workgroup (wx, wy) owns the 16 × 16 tile of a at rows 16wy.., cols 16wx..; invocation (lx, ly) reads
// a[16wy + ly][16wx + lx] (coalesced along a's rows) into tile[ly][lx], then writes
// tile[lx][ly] to b[16wx + ly][16wy + lx] (coalesced along b's rows). The tile row is padded to 17 floats so the
// column read does not hit one bank 16 times. Edge tiles are bounds-checked on both sides. Moves bits only: exact.
struct Params { rows: u32, cols: u32 }

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read_write> b: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

const T: u32 = 16u;
var<workgroup> tile: array<array<f32, 17>, 16>;

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let r = wid.y * T + lid.y;
  let c = wid.x * T + lid.x;
  if (r < params.rows && c < params.cols) { tile[lid.y][lid.x] = a[r * params.cols + c]; }
  // b's element (row = original column, col = original row).
  let br = wid.x * T + lid.y;
  let bc = wid.y * T + lid.x;
  if (br < params.cols && bc < params.rows) { b[br * params.rows + bc] = tile[lid.x][lid.y]; }
}
