import { describe, expect, it } from 'vitest';
import { parseShard, shardItems } from '../harness/reports/shard.ts';

describe('shards', () => {
  it('parses INDEX/COUNT counting from 1', () => {
    expect(parseShard('2/4')).toEqual({ index: 1, count: 4 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 0, count: 1 });
  });

  it('refuses bad input with a reason', () => {
    expect(() => parseShard('0/4')).toThrow(/counts from 1/);
    expect(() => parseShard('5/4')).toThrow(/at most 4/);
    expect(() => parseShard('1/0')).toThrow(/at least 1/);
    expect(() => parseShard('2')).toThrow(/expected INDEX\/COUNT/);
    expect(() => parseShard('a/b')).toThrow(/expected INDEX\/COUNT/);
    expect(() => parseShard('-1/4')).toThrow(/expected INDEX\/COUNT/);
  });

  const items = ['softmax', 'matmul', 'reduce', 'conv2d'].flatMap((kernel) =>
    ['matches-reference', 'deterministic', 'writes-every-output'].map((property) => ({ kernel, property })));

  it('partitions the items, whatever order they come in', () => {
    const shuffled = [...items].reverse();
    const parts = [1, 2, 3, 4, 5].map((i) => shardItems(shuffled, parseShard(`${i}/5`)));
    const all = parts.flat().map((x) => `${x.kernel}/${x.property}`);
    expect(new Set(all).size).toBe(items.length);
    expect(all).toHaveLength(items.length);
    expect(parts.map((p) => p.length)).toEqual([3, 3, 2, 2, 2]);
    expect(shardItems(items, parseShard('1/5'))).toEqual(parts[0]);
  });

  it('goes round-robin over the sorted kernel × property list', () => {
    expect(shardItems(items, parseShard('1/4')).map((x) => `${x.kernel}/${x.property}`)).toEqual([
      'conv2d/deterministic', 'matmul/matches-reference', 'reduce/writes-every-output',
    ]);
  });
});
