// The visual debugger's page for this repository's library, built once before the test files start. Each browser test
// file builds it on demand (harness/view/server.ts ensureBuilt); on a fresh clone two files running at once both found
// no build and built into the same folder, one emptying it while the other's page loaded from it: that page never
// became ready (a lockstep test timed out at 120 s in CI, where alone it takes 1.5 s).
import { ensureBuilt } from '../../harness/view/server.ts';

export default async function setup(): Promise<void> {
  await ensureBuilt();
}
