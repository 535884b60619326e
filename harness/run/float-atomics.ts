// Float atomics in a kernel's WGSL. WGSL has atomics of i32 and u32 only, so a kernel that adds floats atomically
// (a scatter-add, a one-pass reduction) runs a compare-and-swap loop on the f32's bits: atomicCompareExchangeWeak on
// an atomic<u32>, the old value read back with bitcast<f32>. The order in which such updates land is not specified
// (WGSL §"Atomic Built-in Functions": atomics are indivisible, not ordered), and f32 addition is not associative, so
// a correct kernel's last bits may differ from one run to the next on a GPU whose schedule varies. A software
// adapter's schedule is fixed and shows the same bits every run: that proves nothing for a real GPU. Node-free.
import type { KernelProgram } from './program.ts';
import { tokensOf } from './reflect.ts';

/** Each file of a program that scans, as where it came from and its tokens. WGSL that does not scan fails its compile,
 *  which says why. */
function* scannedFiles(program: KernelProgram): Generator<[string, NonNullable<ReturnType<typeof tokensOf>>]> {
  for (const [file, source] of Object.entries(program.sources)) {
    const tokens = tokensOf(source);
    if (tokens) yield [program.origins[file] ?? file, tokens];
  }
}

/** A float scalar, or a vector of them, as a bitcast's template names it (`f32`, `vec2<f16>`, `vec4f`, `vec2h`). */
const FLOAT_TYPE = /^(f32|f16|vec[234][fh])$/;

/**
 * Where a program's WGSL updates floats through atomics, as "file:line" of its first atomicCompareExchangeWeak, when
 * the same file also bitcasts to a float type (f32, f16, a vector of them, or an alias of one: packed f16 pairs in
 * one u32 are a float atomic too); undefined otherwise. Read from the tokens, so a comment or a name that holds the
 * words does not count. A CAS loop on integer values (an atomicMax emulation) bitcasts to no float and is left out:
 * its result does not depend on the order.
 */
export function floatAtomicsAt(program: KernelProgram): string | undefined {
  for (const [where, tokens] of scannedFiles(program)) {
    // `alias F = f32;` (or of a float vector, or of such an alias declared before it): its name counts as the type.
    const floats = new Set<string>();
    const isFloat = (lexeme: string | undefined) => !!lexeme && (FLOAT_TYPE.test(lexeme) || floats.has(lexeme));
    for (let i = 0; i < tokens.length; i++) {
      if (tokens[i]!.lexeme !== 'alias' || tokens[i + 2]?.lexeme !== '=') continue;
      for (let j = i + 3; j < tokens.length && tokens[j]!.lexeme !== ';'; j++) if (isFloat(tokens[j]!.lexeme)) floats.add(tokens[i + 1]!.lexeme);
    }
    let cas: number | undefined;
    let bitcastFloat = false;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t.lexeme === 'atomicCompareExchangeWeak' && tokens[i + 1]?.lexeme === '(') cas ??= t.line;
      else if (t.lexeme === 'bitcast' && tokens[i + 1]?.lexeme === '<') {
        // The template's tokens up to its closing `>`: `f32`, `vec2` `<` `f16` `>`, `F`.
        for (let j = i + 2, depth = 1; j < tokens.length && depth > 0; j++) {
          const l = tokens[j]!.lexeme;
          if (l === '<') depth++;
          else if (l === '>') depth--;
          else if (l === '>>') depth -= 2;
          else if (isFloat(l)) bitcastFloat = true;
        }
      }
    }
    if (cas !== undefined && bitcastFloat) return `${where}:${cas}`;
  }
  return undefined;
}

/** The atomic read-modify-writes whose returned old value can hand out a slot or a link. */
const RMW = new Set(['atomicAdd', 'atomicSub', 'atomicMax', 'atomicMin', 'atomicAnd', 'atomicOr', 'atomicXor', 'atomicExchange', 'atomicCompareExchangeWeak']);

/**
 * Where a program's WGSL keeps the old value an atomic read-modify-write returns (`let slot = atomicAdd(&count[c],
 * 1u)`, `sorted[atomicAdd(&off[b], 1u)] = i`), as "file:line" of the first: the slots (or a linked list's links) are
 * handed out in an unspecified order, so a float sum later taken in their order rounds differently from run to run
 * (trial 99: a correct SPH density over a counting sort failed deterministic by 1 to 4 ULP; trial 106: a list pushed
 * by compare-exchange, summed in list order). A call whose result is
 * dropped (a statement of its own: after `;`, `{` or `}`) hands out nothing. Read from the tokens.
 */
export function atomicSlotsAt(program: KernelProgram): string | undefined {
  for (const [where, tokens] of scannedFiles(program)) {
    for (let i = 1; i < tokens.length; i++) {
      if (!RMW.has(tokens[i]!.lexeme) || tokens[i + 1]?.lexeme !== '(') continue;
      const before = tokens[i - 1]!.lexeme;
      if (before === ';' || before === '{' || before === '}' || before === 'fn') continue;
      // `_ = atomicAdd(...)` drops it too.
      if (before === '=' && tokens[i - 2]?.lexeme === '_') continue;
      // A compare-exchange whose new value is computed from the value it expects (`max(seen, v)`, `seen + 1u`) is a
      // read-modify-write written by hand, whose result no order changes; one that stores something else (a list's
      // `i` over the head it read) hands out a link.
      if (tokens[i]!.lexeme === 'atomicCompareExchangeWeak' && fromExpected(tokens, i + 1)) continue;
      return `${where}:${tokens[i]!.line}`;
    }
  }
  return undefined;
}

/** Whether the compare-exchange whose `(` is at `open` computes its third argument from its second: a name of the
 *  second (the expected value) appears in the third. */
function fromExpected(tokens: { lexeme: string }[], open: number): boolean {
  const args: string[][] = [[]];
  for (let j = open + 1, depth = 0; j < tokens.length; j++) {
    const l = tokens[j]!.lexeme;
    if (l === '(' || l === '[') depth++;
    else if (l === ')' || l === ']') {
      if (depth === 0) break;
      depth--;
    } else if (l === ',' && depth === 0) {
      args.push([]);
      continue;
    }
    args[args.length - 1]!.push(l);
  }
  const expected = new Set((args[1] ?? []).filter((l) => /^[A-Za-z_]\w*$/.test(l)));
  return (args[2] ?? []).some((l) => expected.has(l));
}
