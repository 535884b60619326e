// Float atomics in a kernel's WGSL. WGSL has atomics of i32 and u32 only, so a kernel that adds floats atomically
// (a scatter-add, a one-pass reduction) runs a compare-and-swap loop on the f32's bits: atomicCompareExchangeWeak on
// an atomic<u32>, the old value read back with bitcast<f32>. The order in which such updates land is not specified
// (WGSL §"Atomic Built-in Functions": atomics are indivisible, not ordered), and f32 addition is not associative, so
// a correct kernel's last bits may differ from one run to the next on a GPU whose schedule varies. A software
// adapter's schedule is fixed and shows the same bits every run: that proves nothing for a real GPU. Node-free.
import { WgslScanner } from 'wgsl_reflect/wgsl_reflect.module.js';
import type { KernelProgram } from './program.ts';

/**
 * Where a program's WGSL updates floats through atomics, as "file:line" of its first atomicCompareExchangeWeak, when
 * the same file also has a bitcast<f32>; undefined otherwise. Read from the tokens, so a comment or a name that holds
 * the words does not count. A CAS loop on integer values (an atomicMax emulation) has no bitcast<f32> and is left out:
 * its result does not depend on the order.
 */
export function floatAtomicsAt(program: KernelProgram): string | undefined {
  for (const [file, source] of Object.entries(program.sources)) {
    let tokens;
    try {
      tokens = new WgslScanner(source).scanTokens();
    } catch {
      continue; // WGSL that does not scan fails its compile, which says why
    }
    let cas: number | undefined;
    let bitcastF32 = false;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t.lexeme === 'atomicCompareExchangeWeak' && tokens[i + 1]?.lexeme === '(') cas ??= t.line;
      else if (t.lexeme === 'bitcast' && tokens[i + 1]?.lexeme === '<' && tokens[i + 2]?.lexeme === 'f32') bitcastF32 = true;
    }
    if (cas !== undefined && bitcastF32) return `${program.origins[file] ?? file}:${cas}`;
  }
  return undefined;
}
