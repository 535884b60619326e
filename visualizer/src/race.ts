// Races you can see: the first data race of a lockstep trace as its two conflicting accesses (both invocations, both
// lines, the element, and the barrier that is missing between them: a workgroupBarrier() for workgroup memory, a
// storageBarrier() for storage, whatever other barrier lies between), and the first out-of-bounds access (the index,
// the buffer's length, the line). The lockstep view opens on them.
import { betweenText, FIX, ORDERS, spaceOf, type Space } from '../../harness/engines/interpreter/barriers.ts';
import type { Access, Race } from '../../harness/engines/interpreter/dispatch.ts';
import { ACCESS_OUTSIDE, ACCESS_WRITE, type LockstepTrace } from '../../harness/trace/lockstep.ts';
import { fmt } from './numbers.ts';
import { coordinatesOf } from '../../harness/run/layout.ts';

export interface Finding {
  kind: 'race' | 'out-of-bounds';
  /** The phase and the access index (in the trace's access log) to open on. */
  phase: number;
  access: number;
  /** Invocations to mark (both sides of a race). */
  invocations: number[];
  lines: number[];
  element: { variable: string; word: number };
  text: string;
}

/** Index of an access in the trace's log: same invocation, variable, word, kind and phase. */
function indexOf(t: LockstepTrace, a: Access): number {
  const v = t.variables.findIndex((x) => x.name === a.variable);
  const word = Math.floor(a.offset / 4);
  const c = t.access;
  for (let i = 0; i < t.accessCount; i++) {
    if (c.invocation[i] === a.invocation && c.variable[i] === v && c.word[i] === word && c.phase[i] === a.phase && ((c.kind[i]! & ACCESS_WRITE) !== 0) === (a.kind === 'write')) return i;
  }
  return -1;
}

/** Where the phase of an access begins and ends: the barriers around it, in words. */
function phaseBounds(t: LockstepTrace, phase: number): string {
  const before = t.phases[phase - 1]?.end;
  const end = t.phases[phase]?.end;
  const from = before?.kind === 'barrier' ? `the ${before.builtin}() on line ${before.line}` : 'the start of the kernel';
  const to = end?.kind === 'barrier' ? `the ${end.builtin}() on line ${end.line}` : 'the end of the kernel';
  return `from ${from} to ${to}`;
}

/** The element a word of a variable is, as WGSL indexes it: `sh[128][0]` for word 256 of array<vec2<f32>, 256>
 *  (its logical shape's words, last axis fastest), with the word where that differs; a new user read `sh[256]` of a
 *  256-element array as an index out of range. */
function elementAt(t: LockstepTrace, variable: string, word: number): string {
  const dims = t.variables.find((v) => v.name === variable)?.dims;
  if (!dims || dims.length < 2) return `${variable}[${word}]`;
  return `${variable}${coordinatesOf(word, dims).map((i) => `[${i}]`).join('')} (word ${word})`;
}

/** An element as WGSL indexes it, without the word: `tile[1][0]`, where `tile[8]` reads as row 8. */
function indexText(t: LockstepTrace, variable: string, word: number): string {
  const dims = t.variables.find((v) => v.name === variable)?.dims;
  if (!dims || dims.length < 2) return `${variable}[${word}]`;
  return `${variable}${coordinatesOf(word, dims).map((i) => `[${i}]`).join('')}`;
}

/** An invocation of the workgroup: by local_invocation_index, with its local_invocation_id where the workgroup has
 *  more than one axis (a new user read "invocation 8" of an 8 × 8 workgroup as lid.x = 8). */
export function invocationText(t: LockstepTrace, i: number): string {
  const [x, y] = t.workgroupSize;
  if (y === 1 && t.workgroupSize[2] === 1) return `invocation ${i}`;
  return `invocation ${i} (local_invocation_id (${i % x}, ${Math.floor(i / x) % y}, ${Math.floor(i / (x * y))}))`;
}

/** Access k of the trace in words: who, read or write, which element, the value, the line. Out of bounds, the value
 *  is what the interpreter used, not a value of the variable: a new user read "x[63] = NaN", then sh[63] = 0. */
export function accessText(t: LockstepTrace, k: number): string {
  const a = t.access;
  const v = t.variables[a.variable[k]!]!;
  const write = (a.kind[k]! & ACCESS_WRITE) !== 0;
  const outside = (a.kind[k]! & ACCESS_OUTSIDE) !== 0;
  // Out of bounds by an inner index (tile[0][9]): its word is another element's (tile[1][1]); the interpreter's
  // record of it names the access and the index.
  const inner = outside ? t.outOfBounds.find((o) => o.invocation === a.invocation[k] && o.line === a.line[k] && o.phase === a.phase[k] && o.variable === v.name && (o.kind === 'write') === write)?.inner : undefined;
  const what = `${invocationText(t, a.invocation[k]!)} ${write ? 'writes' : 'reads'} ${inner ? inner.path : indexText(t, v.name, a.word[k]!)}`;
  if (!outside) return `${what} = ${fmt(a.value[k]!)} on line ${a.line[k]}`;
  const words = Math.floor((t.bytes[v.name] ?? 0) / 4);
  const size = inner ? `index ${inner.index} is outside ${inner.type}: indices 0…${inner.length - 1}`
    : v.dims.length < 2 ? `${v.name} has ${words} element${words === 1 ? '' : 's'}` : `${v.name} is ${v.type}`;
  return `${what} on line ${a.line[k]}: out of bounds (${size}), no element there; ${write ? 'the interpreter dropped the store' : 'the interpreter\'s load returned 0 (WGSL allows any value of the variable, or 0; a GPU may clamp the index)'}`;
}

/** Whether the two sides of a race at one line are both a read-modify-write of the element (`bins[k] = bins[k] + 1u`
 *  by two invocations): the side that reads also writes that word at that line, in the same phase. */
function updates(t: LockstepTrace, first: Access, second: Access, word: number): boolean {
  if (first.line !== second.line || first.kind === second.kind) return false;
  const reader = first.kind === 'read' ? first : second;
  const c = t.access;
  const v = t.variables.findIndex((x) => x.name === reader.variable);
  for (let i = 0; i < c.invocation.length; i++) {
    if (c.invocation[i] === reader.invocation && c.word[i] === word && (c.kind[i]! & ACCESS_WRITE) !== 0 && c.line[i] === reader.line && c.phase[i] === reader.phase && (v < 0 || c.variable[i] === v)) return true;
  }
  return false;
}

const side = (a: Access) => `invocation ${a.invocation} ${a.kind === 'write' ? 'writes' : 'reads'} it on line ${a.line}`;

/** The first race of a lockstep trace, in the facts of its Race.message (race-text.ts: invocations, lines, the
 *  barrier for its memory) with the trace's phases and the element's index. */
export function raceFinding(t: LockstepTrace, r: LockstepTrace['races'][number]): Finding {
  const ia = indexOf(t, r.a);
  const ib = indexOf(t, r.b);
  const [first, second] = ia <= ib ? [r.a, r.b] : [r.b, r.a];
  const word = Math.floor(r.byte / 4);
  const scope = r.buffer === undefined ? 'workgroup memory' : 'a storage buffer';
  const space = spaceOf(r);
  const fix = FIX[space];
  // Two phases: barriers lie between that do not order this memory (a workgroupBarrier() between two accesses of
  // storage, WGSL §"Synchronization Built-in Functions"); the view opens on the later access, in its own phase.
  const apart = first.phase !== second.phase;
  // Counted from 1, as the stepper's "phase 2/12" (a new user read "phase 0" here beside "phase 1/2" there).
  const when = apart
    ? `in phases ${first.phase + 1} and ${second.phase + 1}, ${betweenText(r.between, space)}`
    : `both in phase ${r.a.phase + 1} (${phaseBounds(t, r.a.phase)})`;
  const at = { kind: 'race' as const, phase: second.phase, access: Math.max(ia, ib) };
  if (r.lostUpdate) {
    const op = r.lostUpdate[0]!.toLowerCase() + r.lostUpdate.slice(1);
    return {
      ...at, invocations: [r.a.invocation, r.b.invocation], lines: [r.a.line, r.b.line],
      element: { variable: r.variable, word },
      text: `Lost update on ${elementAt(t, r.variable, word)} (${scope}): invocation ${r.a.invocation} stores to it on line ${r.a.line}, invocation ${r.b.invocation} ` +
        `calls ${op} on it on line ${r.b.line}, ${when}. Atomics do not race, but nothing orders ` +
        `these two: the store may land after the update and erase it. ` + (r.branches
          ? `They are in different branches of \`if (${r.branches})\`, so no barrier can go between them: to keep every update, make the store a read-modify-write too (atomicOr, atomicMax), or store before the \`if\` and add a ${fix} after it.`
          : r.entry && r.entry.lines[0] !== r.entry.lines[1]
          ? `A ${fix} between line ${r.entry.lines[0]} and line ${r.entry.lines[1]} of ${t.entry}, which reach them (through ${r.entry.via.join(' and ')}), orders them.`
          : `A ${fix} between line ${r.a.line} and line ${r.b.line} orders them.`),
    };
  }
  return {
    ...at, invocations: [first.invocation, second.invocation], lines: [first.line, second.line],
    element: { variable: r.variable, word },
    text: `Data race on ${elementAt(t, r.variable, word)} (${scope}): ${side(first)}, then ${side(second)}, ${when}. `
      + (updates(t, first, second, word)
        // Both invocations read and write the element at that line: a shared counter, which an atomic fixes and a
        // barrier does not (a new user's histogram was told a barrier was missing "after line 34 and before line
        // 34"). A write and a read at one line alone are a tree level reading the last one's result: a barrier.
        ? `Both on line ${first.line}, a read and a write of the same element: several invocations updating one element (a counter, a histogram bin) need an atomic (atomicAdd on an atomic<u32> or atomic<i32>), not a barrier; if each should have its own element, check the index.`
        : first.kind === 'write' && second.kind === 'write' && first.line === second.line
        // race-text.ts's advice for one line: most often an index that maps two invocations to one element.
        ? `Both write it on line ${first.line}: check the index, which gives two invocations the same element; if each computes the same value (a reduction's result), let one of them store it; if it is a shared counter or bin, make it an atomic (atomicAdd); if they are meant to take turns, a ${fix} between the turns orders them.`
        // In the two branches of one `if` on the id, no barrier can go between them (race-text.ts says the same).
        : r.branches
        ? `They are in different branches of \`if (${r.branches})\`, taken by different invocations, so no barrier can go between them: if each should have its own element, check the index; if both must write it, let one invocation write it, or make it an atomic.`
        : first.line === second.line
        // One line run twice (a loop): "missing after line 24 and before line 24" read as a contradiction.
        ? `Nothing orders them: they are two executions of line ${first.line} (a loop), and a ${fix} is missing in the loop, between one execution of line ${first.line} and the next.`
        // Where a side is in a helper, at the entry point's lines that lead to them (trial 161 B1: a read in blur3 at
        // line 20, a write at line 26, "missing after line 20 and before line 26", where main calls blur3 at 35).
        : r.entry && r.entry.lines[0] !== r.entry.lines[1]
        ? `Nothing orders them: a ${fix} is missing after line ${Math.min(...r.entry.lines)} and before line ${Math.max(...r.entry.lines)} of ${t.entry}, which reach the two accesses (through ${r.entry.via.join(' and ')}).`
        // A barrier the trace passed lies between the two lines in the source, yet they ran in one phase: one pass of a
        // loop apart, the later line's access in one pass and the earlier line's in the next (trial 198 B1: a tiled
        // matmul without its second barrier was told one was missing where its first already was).
        : loopCarried(t, space, first.line, second.line) !== undefined
        ? `Nothing orders them: the ${fix} on line ${loopCarried(t, space, first.line, second.line)} lies between lines ${Math.min(first.line, second.line)} and ${Math.max(first.line, second.line)}, but these two accesses ran in one phase, a pass of the loop apart: a ${fix} is missing after line ${Math.max(first.line, second.line)}, at the end of the loop's body, before it comes round to line ${Math.min(first.line, second.line)} again.`
        // In the source's order, not the trace's: one invocation's read at line 38 traced before another's write at
        // line 34 read "missing after line 38 and before line 34" (trial 95 B1).
        : `Nothing orders them: a ${fix} is missing after line ${Math.min(first.line, second.line)} and before line ${Math.max(first.line, second.line)}.`),
  };
}

/** The line of a barrier of `space` the trace passed that lies strictly between lines a and b, if any. */
function loopCarried(t: LockstepTrace, space: Space, a: number, b: number): number | undefined {
  const [lo, hi] = [Math.min(a, b), Math.max(a, b)];
  for (const p of t.phases) if (p.end.kind === 'barrier' && ORDERS[p.end.builtin]?.includes(space) && p.end.line > lo && p.end.line < hi) return p.end.line;
  return undefined;
}

export function outOfBoundsFinding(t: LockstepTrace, a: Access): Finding {
  const size = Math.max(1, a.size);
  const index = Math.floor(a.offset / size);
  const length = Math.floor((t.bytes[a.variable] ?? 0) / size);
  // An inner index (px[0][4] of array<f32, 4>): the flattened index is inside the variable; the index that is out is
  // the inner one.
  const i = a.inner;
  const unit = i && (/^vec/.test(i.type) ? 'component' : /^mat/.test(i.type) ? 'column' : 'element');
  const but = i
    ? `index ${i.index} is ${i.index < 0 ? 'before the start' : 'past the end'} of ${/^array/.test(i.type) ? 'an' : 'a'} ${i.type} (${i.length} ${unit}${i.length === 1 ? ', index 0' : `s, indices 0…${i.length - 1}`})`
    : `${a.variable} has ${length} element${length === 1 ? ' (index 0)' : `s (indices 0…${length - 1})`}`;
  return {
    kind: 'out-of-bounds', phase: a.phase, access: indexOf(t, a), invocations: [a.invocation], lines: [a.line],
    element: { variable: a.variable, word: Math.floor(a.offset / 4) },
    text: `Out of bounds: invocation ${a.invocation} ${a.kind === 'write' ? 'writes' : 'reads'} ${i ? i.path : `${a.variable}[${index}]`} on line ${a.line}, but ${but}. A GPU clamps or drops such an access without a word.`,
  };
}

/** The element a counterexample's race message names ("data race in k.wgsl on ta (workgroup memory) byte 4: ..."),
 *  or the access its out-of-bounds message names ("invocation 1 of workgroup (0, 0, 0) reads a element 1 ...": byte
 *  undefined, one invocation). */
export interface SavedRace {
  variable: string;
  byte?: number;
  /** The two invocations it names (local_invocation_index), where it names both. */
  invocations?: [number, number];
  /** The invocation an out-of-bounds message names. */
  invocation?: number;
}

export function savedRaceOf(message: string | undefined): SavedRace | undefined {
  const m = /data race (?:in \S+ )?on (\w+)(?: \([^)]*\))? byte (\d+)(?: \([^)]*\))?: invocation (\d+) of workgroup \([^)]*\) .*?, invocation (\d+) of workgroup/.exec(message ?? '')
    ?? /data race (?:in \S+ )?on (\w+)(?: \([^)]*\))? byte (\d+)(?: \([^)]*\))?:/.exec(message ?? '');
  if (m) return { variable: m[1]!, byte: Number(m[2]), ...(m[4] !== undefined ? { invocations: [Number(m[3]), Number(m[4])] as [number, number] } : {}) };
  // Trial 161 B3: an out-of-bounds failure opened on another of the bad accesses than the one its message names.
  const o = /lost update/.test(message ?? '') ? null : /invocation (\d+) of workgroup \([^)]*\) (?:reads|writes) (\w+)/.exec(message ?? '');
  return o ? { variable: o[2]!, invocation: Number(o[1]) } : undefined;
}

/** The first out-of-bounds access, else the race on the element a counterexample names (`saved`), else the first
 *  race, of the trace. An access out of bounds lands on memory the kernel does not own, so two of them "race" on an
 *  element that does not exist: a new user's matmul with `<=` was told of a race on c[1] of a 1-element c and to use
 *  an atomic. The CLI judges no race in such a case either. The saved race first, between its two invocations where
 *  the run has that pair: a trial's message named ta byte 4, invocations 1 and 0, and the view opened on ta[15][0],
 *  invocations 240 and 255, without a word. */
export function firstFinding(t: LockstepTrace, saved?: SavedRace): Finding | undefined {
  const named = saved?.invocation !== undefined ? t.outOfBounds.find((a) => a.invocation === saved.invocation && a.variable === saved.variable) : undefined;
  if (t.outOfBounds[0]) return outOfBoundsFinding(t, named ?? t.outOfBounds[0]);
  const on = (x: Race) => !!saved && saved.byte !== undefined && x.variable === saved.variable && x.byte === saved.byte;
  const pair = (x: Race) => !!saved?.invocations && saved.invocations.every((i) => i === x.a.invocation || i === x.b.invocation);
  const r = t.races.find((x) => on(x) && pair(x)) ?? t.races.find(on) ?? t.races[0];
  return r && raceFinding(t, r);
}

/** The finding as a panel: its sentence and a button that brings the lockstep view back to it. */
export function findingPanel(f: Finding, goto: () => void): HTMLElement {
  const box = document.createElement('section');
  box.className = `finding ${f.kind}`;
  box.id = 'finding';
  box.dataset.kind = f.kind;
  box.dataset.invocations = f.invocations.join(',');
  box.dataset.lines = f.lines.join(',');
  box.dataset.element = `${f.element.variable}[${f.element.word}]`;
  const p = document.createElement('p');
  p.textContent = f.text;
  const b = document.createElement('button');
  b.type = 'button';
  b.id = 'finding-goto';
  b.textContent = f.kind === 'race' ? 'Show the two accesses' : 'Show the access';
  b.addEventListener('click', goto);
  box.append(p, b);
  return box;
}
