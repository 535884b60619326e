// A compare-exchange loop that cannot end: the clue said when a case runs past the interpreter's budget. A CAS loop
// that retries with the compare value it started with, instead of the result's old_value (a trial's float max,
// `old` never refreshed), fails forever once another invocation's exchange lands first; Dawn on SwiftShader never
// made one fail and passed the kernel, the interpreter (which serves invocation 0 first, then the last) ran past its
// budget and said only "slow, or a loop that never ends". Counted here, per invocation and call site: the same
// compare value failing against the same word value, again and again. Evidence for the skip's text, never a verdict:
// a spin lock waits so too, until its holder lets go. Node-free.

/** Failures in a row after which the clue is said. */
const SAID_FROM = 100;

interface Streak {
  invocation: number;
  workgroup: readonly number[];
  line: number;
  compare: number;
  found: number;
  count: number;
}

const streaks = new Map<string, Streak>();
let longest: Streak | undefined;
/** The workgroup under way (dispatch.ts sets it): the invocation's index alone names no invocation of a dispatch. */
export const casWorkgroup: { current: readonly number[] } = { current: [0, 0, 0] };

/** Forgets every streak: at the start of each dispatch. */
export function resetCasRetries(): void {
  streaks.clear();
  longest = undefined;
}

/** One atomicCompareExchangeWeak by `invocation` at `line` (col tells two calls on one line apart). */
export function noteCas(invocation: number, line: number, col: number, compare: number, found: number, exchanged: boolean): void {
  const key = `${casWorkgroup.current.join(',')}:${invocation}:${line}:${col}`;
  if (exchanged) {
    streaks.delete(key);
    return;
  }
  const s = streaks.get(key);
  if (s && s.compare === compare && s.found === found) s.count++;
  else streaks.set(key, { invocation, workgroup: casWorkgroup.current, line, compare, found, count: 1 });
  const now = streaks.get(key)!;
  if (!longest || now.count > longest.count) longest = { ...now };
}

/** The longest streak of one dispatch, as a clause for the skip of a case that did not finish; undefined when none
 *  reached SAID_FROM. */
export function casRetryClue(): string | undefined {
  const s = longest;
  if (!s || s.count < SAID_FROM) return undefined;
  return `invocation ${s.invocation} of workgroup (${s.workgroup.join(', ')}) called atomicCompareExchangeWeak at line ${s.line} ${s.count} times in a row ` +
    `with compare value ${s.compare} against the word's unchanged ${s.found}: a loop that does not take the result's old_value as its next compare value ` +
    `never ends once another invocation's exchange lands first, on any engine (a GPU engine whose exchanges never fail passes it)`;
}
