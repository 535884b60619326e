// Splitting a run over machines (CI jobs): `--shard 2/4` runs the second quarter of the kernel × property list.
// Round-robin over the sorted list keeps shards the same size and lets every machine agree on the split without talking.

export interface Shard {
  /** Zero-based. */
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new Error(`--shard ${JSON.stringify(text)}: expected INDEX/COUNT, e.g. 2/4 (the second of four shards)`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (!Number.isSafeInteger(count) || count < 1) throw new Error(`--shard ${text}: the shard count must be at least 1`);
  if (index < 1 || index > count) throw new Error(`--shard ${text}: the shard index counts from 1 and must be at most ${count}`);
  return { index: index - 1, count };
}

export function formatShard(s: Shard): string {
  return `${s.index + 1}/${s.count}`;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The items of one shard, in sorted (kernel, property) order; the shards of one count partition the items. */
export function shardItems<T extends { kernel: string; property: string }>(items: readonly T[], shard: Shard): T[] {
  if (shard.index < 0 || shard.index >= shard.count) throw new Error(`shard ${formatShard(shard)} is out of range`);
  // Code-unit order, not localeCompare: every machine must sort the same way whatever its locale.
  const sorted = [...items].sort((a, b) => byText(a.kernel, b.kernel) || byText(a.property, b.property));
  return sorted.filter((_, i) => i % shard.count === shard.index);
}

/** Options whose values differ between the shards of one run by design (where each shard writes), dropped from the
 *  command that names the run. */
const PER_SHARD = new Set(['--shard', '--out', '--fixtures']);

/** The command of a run without its per-shard options: the shards of one run share it. */
export function runCommand(argv: readonly string[]): string {
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (PER_SHARD.has(a)) i++;
    else if (![...PER_SHARD].some((o) => a.startsWith(`${o}=`))) kept.push(a);
  }
  return kept.join(' ');
}

/**
 * The shards a merge lacks: of each sharded run (its files share the command without --shard, --out and --fixtures,
 * the seed and the shard count), every index from 1 to the count must be there, or that part of the suite never ran
 * and its results are missing, not passing (a CI matrix job that never uploaded). E.g. "shard 2/2 of `test --kernel
 * relu --runs 5` (seed 1)".
 */
export function missingShards(runs: readonly { shard?: string; argv?: string[]; seed: number }[]): string[] {
  const groups = new Map<string, { command: string; seed: number; count: number; present: Set<number> }>();
  for (const r of runs) {
    if (!r.shard) continue;
    let s: Shard;
    try {
      s = parseShard(r.shard);
    } catch {
      continue; // the schema let it through; nothing to pair it with
    }
    const command = runCommand(r.argv ?? []);
    const key = JSON.stringify([command, r.seed, s.count]);
    const g = groups.get(key) ?? { command, seed: r.seed, count: s.count, present: new Set<number>() };
    g.present.add(s.index);
    groups.set(key, g);
  }
  const missing: string[] = [];
  for (const g of groups.values()) {
    for (let i = 0; i < g.count; i++) {
      if (!g.present.has(i)) missing.push(`shard ${formatShard({ index: i, count: g.count })} of \`${g.command}\` (seed ${g.seed})`);
    }
  }
  return missing;
}
