// Which declaration a name names inside a function, by WGSL's scopes (parse.ts localScopes): the sanitizer and the
// trace instrumentation check a module variable's accesses everywhere a local of the same name is not in scope.
// Before, one local of the name anywhere in the function hid every access: a trial's `let y = 0u;` in an early
// return's block left `y[i]` unchecked, and its race passed no-data-race on Dawn.
import { describe, expect, it } from 'vitest';
import { localScopes, parseWgsl, walk, type Node } from '../harness/mutate/parse.ts';
import { sanitizeShader } from '../harness/trace/sanitize.ts';

/** Each `y` of the function, by line: whether it names a local there. */
function ys(src: string): [number, boolean][] {
  const p = parseWgsl(src);
  const fn = p.ast.find((n) => n.astNodeType === 'function' && n.name === 'main')!;
  const local = localScopes(p, fn);
  const out: [number, boolean][] = [];
  // wgsl_reflect lists a loop's continuing both in its body and beside it: each name once.
  const seen = new Set<Node>();
  walk(fn.body as Node[], (n) => {
    if (n.astNodeType === 'varExpr' && n.name === 'y' && !seen.has(n)) out.push([p.position(p.range(n)[0]).line, local('y', p.range(n)[0])]);
    seen.add(n);
  });
  return out;
}

const HEAD = '@group(0) @binding(0) var<storage, read_write> y: array<u32>;\n';

describe('localScopes', () => {
  it('a local hides the module variable from its end to the end of its block, bare blocks included', () => {
    expect(ys(`${HEAD}@compute @workgroup_size(1) fn main(@builtin(local_invocation_index) i: u32) {
  if (i > 4u) {
    let y = 0u;
    _ = y;
  }
  { var y = 1u; y += 1u; }
  y[i] = 1u;
}`)).toEqual([[5, true], [7, true], [8, false]]);
  });

  it('the initializer of `let y = y[0]` is the module variable; a for loop\'s own `var y` lasts to the loop\'s end', () => {
    expect(ys(`${HEAD}@compute @workgroup_size(1) fn main() {
  for (var y = 0u; y < 2u; y++) {
    _ = y;
  }
  y[1] = 2u;
  let y = y[0];
  _ = y;
}`)).toEqual([[3, true], [3, true], [4, true], [6, false], [7, false], [8, true]]);
  });

  it('a loop\'s continuing sees its body\'s locals; a switch case\'s locals stay in the case; a parameter hides it everywhere', () => {
    expect(ys(`${HEAD}@compute @workgroup_size(1) fn main(@builtin(local_invocation_index) i: u32) {
  loop {
    let y = 1u;
    continuing { break if y > 0u; }
  }
  switch (i) {
    case 0u: { let y = 2u; _ = y; }
    default: { y[0] = 1u; }
  }
}
fn f(y: u32) -> u32 { return y; }`)).toEqual([[5, true], [8, true], [9, false]]);
    const p = parseWgsl(`${HEAD}fn f(y: u32) -> u32 { return y; }`);
    const f = p.ast.find((n) => n.astNodeType === 'function')!;
    expect(localScopes(p, f)('y', p.source.lastIndexOf('y;'))).toBe(true);
  });

  it('the sanitizer checks and records y[i] after a block that declares a local y', () => {
    const s = sanitizeShader(`${HEAD}@compute @workgroup_size(64) fn main(@builtin(local_invocation_index) i: u32) {
  if (i > 4u) {
    let y = 0u;
    return;
  }
  y[i] = 1u;
}`);
    expect(s.code.split('\n')[6]).toMatch(/^ {2}y\[_ks_a0w\(/);
    expect(s.vars[0]!.writeLines).toEqual([7]);
  });
});
