// Source rewrites that keep wgsl_reflect's stepping interpreter honest, each on the same line so traces keep their
// line numbers. Found here with wgsl_reflect 1.6.0:
// - `while c { body }` runs its body once, whatever c says (k counted to 1, not 1000): it becomes
//   `loop { if !(c) { break; } body }`, which steps correctly (continue included: loop has no continuing block here);
// - a `loop` with no `break` runs inside a single interpreter step, so the step budget never stops it and the process
//   hangs: every loop gets an `if false { break; }` first, which makes the stepper walk it.

/** Comments blanked to spaces, so that keywords are matched in code only and every offset still lines up. */
function codeOnly(src: string): string {
  return src
    .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/\/\/[^\n]*/g, (m) => ' '.repeat(m.length));
}

export function rewriteForInterpreter(src: string): string {
  const code = codeOnly(src);
  const edits: { at: number; end: number; text: string }[] = [];
  for (const m of code.matchAll(/\b(while|loop)\b/g)) {
    const at = m.index!;
    // The body's brace: WGSL expressions contain no braces, so the first one at bracket depth 0 opens the body.
    let depth = 0;
    let brace = -1;
    for (let i = at + m[0].length; i < code.length; i++) {
      const ch = code[i];
      if (ch === '(' || ch === '[') depth++;
      else if (ch === ')' || ch === ']') depth--;
      else if (ch === '{' && depth === 0) {
        brace = i;
        break;
      } else if (ch === ';' || ch === '}') break;
    }
    if (brace < 0) continue;
    if (m[1] === 'while') {
      const cond = src.slice(at + m[0].length, brace).trim();
      edits.push({ at, end: brace + 1, text: `loop { if !(${cond}) { break; }` });
    } else {
      edits.push({ at: brace + 1, end: brace + 1, text: ' if false { break; }' });
    }
  }
  let out = src;
  for (const e of edits.sort((a, b) => b.at - a.at)) out = out.slice(0, e.at) + e.text + out.slice(e.end);
  return out;
}
