// The race advice (harness/engines/interpreter/race-text.ts) end to end, on both engines: peers that read and write
// one element are told to make it an atomic, never to add a storageBarrier() (trial W's Bloom filter was). A GPU run
// names each race by one access of each side, so the advice rests on the dispatch's other races (updatedByPeers).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResultsFile } from '../harness/results/schema.ts';

const ROOT = resolve(import.meta.dirname, '..');

/** no-data-race's result for test/race-advice/FILE.wgsl in place of relu, through the command line. */
function noDataRace(file: string, backend = 'dawn') {
  const out = mkdtempSync(join(tmpdir(), 'ks-race-advice-'));
  spawnSync(process.execPath, ['bin/kernelscope.mjs', 'test', '--backend', backend, '--runs', '4', '--out', out, '--fixtures', join(out, 'fx'),
    '--wgsl', `relu=test/race-advice/${file}.wgsl`, '--property', 'no-data-race'], { cwd: ROOT, encoding: 'utf8', timeout: 600_000, env: { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp' } });
  return (JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile).results.find((x) => x.property === 'no-data-race')!;
}

describe('a read-modify-write of one element by peers, on the command line', () => {
  it.each(['dawn', 'interpreter'])('%s: an atomic, not a storageBarrier()', (backend) => {
    const r = noDataRace('relu-peers-update', backend);
    expect(r.status).toBe('fail');
    expect(r.error).toMatch(/^data race in test\/race-advice\/relu-peers-update\.wgsl on y byte \d+: .*line 19.*\(both read and write it: invocations that update one element \(a counter, a bin, a word of bits\) need an atomic, which no barrier replaces; steps that update it in turn \(a tree's or a scan's levels\) need a storageBarrier\(\) between the steps; WGSL has no float atomics: give each invocation its own partial sum and reduce them \(in workgroup memory, then one store\), or add through a compare-exchange loop on an atomic<u32> that holds the bits \(bitcast<f32>\); if each should have its own element, check the index\); \d+ races?$/);
    // Trial 165 B5: y is an array<f32>, which no atomicAdd takes; of a u32 the advice names atomicAdd and atomicOr.
    expect(r.error).not.toContain('atomicAdd');
    expect(r.error).not.toContain('add a storageBarrier');
  }, 600_000);
});

describe('an index that an atomic hands out, on the command line', () => {
  // The interpreter runs each invocation's atomicAdd and atomicLoad together, one schedule WGSL allows in which no two
  // read the same count: only a GPU run shows this race.
  // Trial 158 B2: told to look for a barrier between the update and the load, a user added one, and every invocation
  // then read the final count; the slot is the update's own return.
  it('dawn: names the atomicLoad the index comes from, and the update whose return is the slot', () => {
    const r = noDataRace('relu-slot-from-load');
    expect(r.status).toBe('fail');
    expect(r.error).toMatch(/writes at line 22, .* writes at line 22, .*\(both write it at line 22: check the index, which gives two invocations the same element; it comes from atomicLoad\(&taken\) at line 19: the atomicLoad at line 19 reads 'taken' after this invocation's own update at line 18, whose result the code drops: the other invocations' updates can land before the load, and after a workgroupBarrier\(\) every invocation would read the final count, so take the value from that update's own return \(`let slot = atomicAdd\(...\)`\), which no other invocation gets\); \d+ races?$/);
  }, 600_000);
  // Trial 158 B1: a tree's line a barrier later was named as the other side ("one of lines 22, 25"), and the advice
  // fell back to "make it an atomic" for an index an atomic already hands out.
  it('dawn: the store a phase before a tree is named alone, with the same advice', () => {
    const r = noDataRace('relu-slot-then-tree');
    expect(r.status).toBe('fail');
    expect(r.error).toMatch(/ writes at line 22, .* writes at line 22, .*\(both write it at line 22: check the index, which gives two invocations the same element; it comes from atomicLoad\(&taken\) at line 21: the atomicLoad at line 21 reads 'taken' after this invocation's own update at line 20, whose result the code drops: .*\); \d+ races?$/);
  }, 600_000);
});

describe('a read and a write of one element through an index two invocations share, on the command line', () => {
  it('dawn: the index is named beside the barrier', () => {
    const r = noDataRace('relu-shared-index');
    expect(r.status).toBe('fail');
    // Its first race is a read and a write (said as below), or, where the sanitized run kept both sides' writes, peers
    // updating one element (updatedByPeers): the index is named either way, never a barrier alone.
    expect(r.error).toMatch(/ at line 2[01], .* at line 2[01], no barrier that orders storage between \((both reach it as y\[idx\]: if each invocation should have its own element, check the index, which gives two invocations the same one; if they are meant to share it, make it an atomic<u32> that holds its bits, updated by a compare-exchange loop \(WGSL has no float atomics\), or give each invocation its own partial sum and reduce them: a barrier between the read and the write would leave both reading before either writes|both read and write it: .*; if each should have its own element, check the index)\); \d+ races?$/);
  }, 600_000);
});
