// What a run shows while it works: on a terminal, one live line (engine, kernel, property, cases done) above the
// finished results; elsewhere (CI logs), one plain line per result.
import { join } from 'node:path';
import type { BackendId } from '../engines/engine.ts';
import { formatValue } from '../compare.ts';
import { LIBRARY, ROOT } from '../run/registry.ts';
import type { PropertyResult } from '../results/schema.ts';
import type { SuiteItem, SuiteReporter } from '../run/suite.ts';
import { jsonText } from '../run/json-text.ts';

const MARK: Record<PropertyResult['status'], string> = { pass: 'ok  ', fail: 'FAIL', error: 'ERR ', skip: 'skip' };

/** Each detail shown, with the engine that showed it. */
const shownDetails = new Map<string, string>();
const shownErrors = new Map<string, string>();

/** A kernelscope command from where the user is, with the library they ran (or `library`). */
export function command(args: string, library = LIBRARY): string {
  const env = library !== ROOT ? `KERNELSCOPE_LIBRARY=${library} ` : '';
  // Absolute outside the checkout or with a library of the user's, as init prints it: it works from any folder, the
  // library's included (a trial copied an `npx kernelscope` hint into its library folder: npm's 404).
  const bin = process.cwd() === ROOT && library === ROOT ? 'npx kernelscope' : `node ${join(ROOT, 'bin/kernelscope.mjs')}`;
  return `${env}${bin} ${args}`;
}

/**
 * `expected`: the expectations.json entry that accounts for this failure or error (expectationFor). It prints as XFAIL
 * with its reason, as the page shows an expected failure: a trial's line said FAIL beside a summary of "1 expected
 * failure" and nothing to tell which.
 */
export function formatResult(r: PropertyResult, expected?: { reason: string }): string {
  const margin = r.maxError ? `  ${fmtMargin(r.maxError)}` : '';
  const head = `${expected ? 'XFAIL' : MARK[r.status]} ${r.backend.padEnd(11)} ${r.kernel.padEnd(15)} ${r.property.padEnd(26)} ${String(r.runs).padStart(4)} ${r.runs === 1 ? 'case ' : 'cases'} ${fmtMs(r.durationMs).padStart(8)}${margin}`;
  const all = r.notes ?? {};
  // The unbounded elements' sentence holds their counts (results.json keeps both), and speaks of one case: the case
  // with the most (mergeNotes). A new user read "unboundedElements 8192, unboundedNonFinite 1772, unbounded y 8192 of
  // the case's 8192 elements ..." on a passing line as nothing having been bounded.
  const sentence = Object.keys(all).some((k) => k.startsWith('unbounded '));
  // writesOutside is for the note after the run (cli/test.ts outsideWritesNotes), which says it in words.
  const notes = Object.entries(all).filter(([k]) => k !== 'skippedCases' && k !== 'skipReason' && k !== 'casesPastBudget' && k !== 'casesLoopsCut' && k !== 'accessesUnchecked' && k !== 'writesOutside' && !(k === 'notChecked' && r.status === 'skip') && !(sentence && (k === 'unboundedElements' || k === 'unboundedNonFinite')));
  const note = ([k, v]: [string, unknown]) => (k.startsWith('unbounded ') ? `${k} (in the case with the most): ${v}` : k.startsWith('NaN reference ') ? `${k}: ${v}` : `${k} ${typeof v === 'number' && !Number.isInteger(v) ? `${v.toPrecision(4)}${r.runs > 1 ? ' (the largest in size of the cases)' : ''}` : v}`);
  const lines = [notes.length ? `${head}  ${notes.map(note).join(', ')}` : head];
  if (expected) lines.push(`     expected ${r.status === 'fail' ? 'failure' : 'error'}, as expectations.json lists: ${expected.reason}`);
  // Cases that ran no check (over the interpreter's budget) are counted and explained, never folded into a pass.
  // Said in full once per kernel and reason, then counted on the result's own line: a trial read the same budget line
  // under each of 8 properties, and another the same "the same reason as" line under each.
  const skipped = r.notes?.skippedCases;
  if (typeof skipped === 'number' && r.status !== 'skip') {
    const key = `${r.backend}|${r.kernel}|skipped|${r.notes?.skipReason ?? ''}`;
    const first = shownErrors.get(key);
    const more = `${skipped} more case${skipped === 1 ? '' : 's'} skipped`;
    if (first) lines[0] += `  (${more}, as under ${first})`;
    else {
      lines.push(`     ${more}: ${r.notes?.skipReason ?? ''}`);
      shownErrors.set(key, r.property);
    }
  }
  // The detail is the same for every property of a kernel (a compile error, or the compiler's warnings on a result
  // that ran): its full text is shown once; an error's first line says it again after that, and where another
  // engine showed it, which one: Firefox's compiler messages, the same as Deno's before them (both Naga), came out as
  // their first line alone, with no caret and no note, and nothing said why (trial 60 B4). Not "the compiler's": a
  // set-up error found before any compiler ran is said so too (trial 73 B4).
  const fresh = !!r.detail && !shownDetails.has(r.detail);
  const shownOn = r.detail ? shownDetails.get(r.detail) : undefined;
  // A set-up error (a spec that does not fit its cases) fails every property of the kernel alike: said once in full.
  // A skip for the same reason (an extension or feature the engine lacks) is said once too: a trial read the same
  // long reason, adapter and all, under every one of eight properties.
  const repeatable = (r.status === 'error' || r.status === 'skip') && !!r.error;
  const sameAs = repeatable ? shownErrors.get(`${r.backend}|${r.kernel}|${r.status}|${r.error}`) : undefined;
  if (sameAs) lines[0] += `  (the same ${r.status === 'skip' ? 'reason' : 'error'} as ${sameAs})`;
  else if (r.status !== 'pass' && r.error && !(r.status === 'error' && fresh)) lines.push(`     ${r.error}${r.status === 'error' && shownOn && shownOn !== r.backend ? ` (in full as on ${shownOn}, above)` : ''}`);
  if (repeatable && !sameAs) shownErrors.set(`${r.backend}|${r.kernel}|${r.status}|${r.error}`, r.property);
  if (fresh) {
    let detail = r.detail!.trimEnd().split('\n');
    // A skip's reason quotes the detail's first line (the sanitizer's refusal): the rest only, not it twice.
    if (r.status === 'skip' && !sameAs && r.error?.endsWith(detail[0]!)) detail = detail.slice(1);
    lines.push(...detail.slice(0, 40).map((l) => `     ${l}`));
  }
  if (r.detail && !shownOn) shownDetails.set(r.detail, r.backend);
  // fast-check's path is the failing draw's index, then one index per shrink step taken: none, and the case was
  // not shrunk (a one-draw property such as full-size-exact, or a case that passed when run alone).
  if (r.counterexample) lines.push(`     ${r.counterexample.path.includes(':') ? 'shrunk to' : 'failed on'} ${jsonText(r.counterexample.shrunk)}; saved ${r.counterexample.fixture} (replay: ${command(`replay ${r.counterexample.fixture}`)}; see it: ${command(`view ${r.kernel} --case ${r.counterexample.fixture}`)})`);
  return lines.join('\n');
}

const fmtMs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);
// A small nonzero error keeps its digits: "off by 0" was printed on a failure whose error was 1.3e-38 (a trial's).
const fmtNum = (x: number) => (!Number.isFinite(x) ? '∞' : x >= 1e4 || (x !== 0 && Math.abs(x) < 0.05) ? x.toExponential(1) : String(Math.round(x * 10) / 10));
/** A ratio to the bound, and the distance in f32 steps; where the bound is 0 (an exact property) and the error
 *  finite, how far off it is instead: "∞ of bound, 770 ulp" read as a float gone to infinity on a u32 histogram. How
 *  far is the element's that broke it (atWorst), not the largest error of any element, which a wider bound allowed. */
function fmtMargin(m: NonNullable<PropertyResult['maxError']>): string {
  const off = m.atWorst ?? m;
  // The element that broke a zero bound may be off by little where another, judged by a bound of its own, is off by
  // far more (a trial's sum: "off by 3.8e-38" beside an error of 1.2e31): both are said ("under a bound of its own"
  // read as within it, trial 207 B3).
  const largest = m.abs > off.abs && Number.isFinite(m.abs) ? `; largest error of any element ${fmtNum(m.abs)}${m.absBuffer !== undefined && m.absBuffer !== m.atWorst?.buffer ? ` (in ${m.absBuffer})` : ''}, judged by a bound of its own` : '';
  const where = m.atWorst?.buffer !== undefined && m.atWorst.index !== undefined ? ` (${m.atWorst.buffer}[${m.atWorst.index}], the worst of the cases drawn)` : '';
  // A whole difference of more f32 steps than itself is one of counts held in floats (trial 155 B0: a property's sum of
  // counts "off by 1500, 1.7e+7 ulp"): the steps say nothing there.
  const steps = off.ulp && off.ulp !== off.abs && !(Number.isInteger(off.abs) && off.abs >= 1 && off.ulp > off.abs);
  // Off by 0 at an infinite ratio is no broken zero bound: a sign of zero, or a property's own measure of an element
  // it could not measure (trial 171 B1 read "exact bound, off by 0" above "allowed 6.69e-7").
  if (m.boundRatio === Infinity && off.abs === 0) return `∞ of bound${where}`;
  // A 32-bit integer's difference past 2^31 is the shorter way round in wrapping arithmetic (trial 223 B2: a u32 scan
  // one element off read "off by 4256292576").
  const wrapped = m.integer && off.abs >= 2 ** 31 && off.abs < 2 ** 32 ? `, or ${2 ** 32 - off.abs} modulo 2^32` : '';
  if (m.boundRatio === Infinity && Number.isFinite(off.abs)) return `exact bound, off by ${whole(off.abs, m.integer || off.ulp === off.abs)}${wrapped}${steps ? `, ${fmtNum(off.ulp)} ulp` : ''}${where}${largest}`;
  // Past its bound, named too: the message below is the shrunk case's, a different figure (trial 47 read "2.3e+23 of
  // bound" above "4.9e7 × the bound" as one).
  if (m.integer && m.ulp === 0) return 'exact';
  return `${fmtRatio(m.boundRatio)} of bound, ${m.integer ? `off by ${formatValue(m.ulp, true)}` : `${fmtNum(m.ulp)} ulp`}${m.boundRatio > 1 ? where : ''}`;
}
// An integer's error is said whole (trial 102 B3: a u32 hash "off by 4.3e+9"); a float's past 2^24, where every f32 is
// whole, in its magnitude only (trial 204 B2: a Jacobi sweep's "off by 1714492239" beside "off by 3.6e+8").
const whole = (x: number, integer?: boolean) => (Number.isInteger(x) && (integer ? x < 2 ** 53 : x <= 2 ** 24) ? String(x) : fmtNum(x));
const fmtRatio = (x: number) => (!Number.isFinite(x) ? '∞' : x >= 1e4 ? x.toExponential(1) : x.toFixed(x < 0.01 ? 4 : 2));

export function consoleReporter(stream: NodeJS.WriteStream = process.stderr,
  expectationOf: (r: PropertyResult) => { reason: string } | undefined = () => undefined): SuiteReporter {
  const live = stream.isTTY === true;
  let current = '';
  let lastDraw = 0;
  const draw = (line: string, force = false) => {
    if (!live) return;
    const now = Date.now();
    if (!force && now - lastDraw < 80) return;
    lastDraw = now;
    stream.write(`\r\x1b[2K${line.slice(0, (stream.columns ?? 100) - 1)}`);
  };
  const print = (line: string) => {
    if (live) stream.write('\r\x1b[2K');
    stream.write(`${line}\n`);
  };
  return {
    engine(backend: BackendId, status, detail) {
      if (status === 'starting') draw(`starting ${backend}…`, true);
      else print(status === 'ok' ? `${backend}: ${detail}` : `${backend}: UNAVAILABLE (${detail}); its properties are reported as skipped, not passed`);
    },
    start(item: SuiteItem, backend, index, total) {
      current = `[${index}/${total}] ${backend} ${item.kernel.program.spec.name} ${item.property.name}`;
      draw(current, true);
    },
    progress(phase, done, total) {
      draw(phase === 'run' ? `${current}  ${done}/${total} cases` : `${current}  shrinking a failure (${done} tries)`);
    },
    result(r) {
      print(formatResult(r, expectationOf(r)));
    },
  };
}
