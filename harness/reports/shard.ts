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
