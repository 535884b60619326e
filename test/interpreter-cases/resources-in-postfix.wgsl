// The buffers an entry point uses, read only where wgsl_reflect's AST search did not look: in an index after a member
// access, after a constructor, in a switch's selector and in a `break if` condition. Each was left out of the entry's
// resources, so the interpreter bound nothing for it and reflect.ts bound one binding fewer than Dawn's 'auto'
// layout has (a bind-group error on every GPU engine); fixes.ts fixSearch, patches/README.md §40.
struct Table {
  t: array<u32, 4>,
}

@group(0) @binding(0) var<storage, read_write> y: array<u32>;
@group(0) @binding(1) var<storage, read> tab: Table;
@group(0) @binding(2) var<storage, read> a: array<u32>;
@group(0) @binding(3) var<storage, read> b: array<u32>;
@group(0) @binding(4) var<storage, read> c: array<u32>;
@group(0) @binding(5) var<storage, read> d: array<u32>;

@compute @workgroup_size(1)
fn main() {
  y[0] = tab.t[a[0]];
  switch b[0] {
    case 1u: { y[1] = 10u; }
    default: { y[1] = 20u; }
  }
  y[2] = vec2u(5u, 6u)[c[0] & 1u];
  var k = 0u;
  loop {
    continuing {
      k += 1u;
      break if k >= d[0];
    }
  }
  y[3] = k;
}
