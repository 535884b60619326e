// The processes that host engines (browsers, Dawn's Node host, Deno), which must not outlive the run. A run ended by
// SIGTERM or SIGHUP (a job's timeout, a closed terminal) ends as on a quiet Dawn: every host is killed and the signal
// then ends this process (exit 143 or 129, results.json left `complete: false`). Playwright's own handler
// (handleSIGTERM, on by default) closed the browser and swallowed the signal: the run went on, relaunched the browser,
// blamed the kernel of the property in flight and wrote `complete: true` (seen in a trial); browser.ts turns it off.
// A host busy with a hung dispatch does not notice its input closing: Deno's waited out its own 30 s, and Dawn's
// spun on with no parent at 100-150% CPU after a CI timeout's SIGTERM (trial 57 B2). Any other exit of this process
// (the end of a run, Ctrl-C) kills what is left too. Node-only.

/** The hosts running, by pid. */
const live = new Set<number>();
/** Hosts being started, whose pid is not known yet (a browser's launch takes seconds): a signal then waits for them. */
const starting = new Set<Promise<number | undefined>>();
const ENDING_SIGNALS = ['SIGTERM', 'SIGHUP'] as const;
/** How long a signal waits for a host still starting before this process ends without it. */
const STARTING_WAIT_MS = 15_000;

function killAll() {
  for (const pid of live) {
    // A browser is the leader of its own process group (its renderers and GPU process in it); a host is not.
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        /* gone already, or no such group */
      }
    }
  }
  live.clear();
}

function onEndingSignal(signal: NodeJS.Signals) {
  killAll();
  const end = () => {
    killAll();
    listen(false);
    // With no listener left, the signal's default action ends the process as the signal does.
    process.kill(process.pid, signal);
  };
  if (!starting.size) return end();
  // Trial 105 B1: a SIGTERM while Firefox was starting ended the run and left the browser running with no parent: its
  // pid came only when the launch resolved. The launches in flight are waited for (at most STARTING_WAIT_MS), then
  // killed with the rest.
  const wait = new Promise<void>((resolve) => setTimeout(resolve, STARTING_WAIT_MS).unref());
  void Promise.race([Promise.all([...starting]).then((pids) => pids.forEach((pid) => pid && live.add(pid))), wait]).then(end);
}

let listening = false;

function listen(on: boolean) {
  if (on === listening) return;
  listening = on;
  for (const s of ENDING_SIGNALS) (on ? process.on : process.off).call(process, s, onEndingSignal);
  (on ? process.on : process.off).call(process, 'exit', killAll);
}

/** A host started: killed with this process, however it ends. */
export function trackHost(pid: number | undefined): void {
  if (!pid) return;
  listen(true);
  live.add(pid);
}

/** A host that ended, or was closed. */
export function untrackHost(pid: number | undefined): void {
  if (!pid || !live.delete(pid) || live.size || starting.size) return;
  listen(false);
}

/** A host being started, whose pid `pidOf` reads from what `launch` resolves to: a signal before then waits for it. */
export function trackStarting<T>(launch: Promise<T>, pidOf: (t: T) => number | undefined): Promise<T> {
  listen(true);
  const pid = launch.then(pidOf, () => undefined);
  starting.add(pid);
  // Started: tracked as a host at once (the caller's trackHost of it later changes nothing).
  void pid.then((p) => {
    starting.delete(pid);
    if (p) live.add(p);
    else if (!live.size && !starting.size) listen(false);
  });
  return launch;
}
