// The editor's workgroup size field, applied to the WGSL. Node-free, and free of the page's bundle (tested in Node).
import { parsedOrNone } from '../../harness/mutate/parse.ts';

/**
 * The WGSL with the @workgroup_size of entry point `entry` written as literal sizes, found through its tokens: the
 * attribute before `fn entry`. The first in the file was rewritten whichever stage was shown (trial 67 B2: stage 2's
 * size typed in changed stage 1's). The WGSL as it is where it does not parse or the entry point has no such attribute.
 */
export function withWorkgroupSize(code: string, size: number[], entry = 'main'): string {
  const p = parsedOrNone(code);
  if (!p) return code;
  const t = p.tokens;
  const fn = t.findIndex((x, i) => x.lexeme === 'fn' && t[i + 1]?.lexeme === entry);
  // Back from `fn` over the entry point's attributes to `@workgroup_size`, then to its closing parenthesis.
  let at = fn;
  while (at > 0 && !(t[at - 1]!.lexeme === '@' && t[at]!.lexeme === 'workgroup_size')) {
    if (t[at - 1]!.lexeme === ';' || t[at - 1]!.lexeme === '}') return code;
    at--;
  }
  if (at <= 0) return code;
  let close = at + 1;
  for (let depth = 0; close < t.length; close++) {
    if (t[close]!.lexeme === '(') depth++;
    else if (t[close]!.lexeme === ')' && --depth === 0) break;
  }
  if (close >= t.length) return code;
  return `${code.slice(0, t[at - 1]!.start)}@workgroup_size(${size.join(', ')})${code.slice(t[close]!.end)}`;
}
