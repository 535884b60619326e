// docs/properties.md is generated from the live library: it must be current, name every kernel and property, and
// survive descriptions full of Markdown syntax (|x|, y*).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadKernels, type LoadedKernel } from '../harness/run/registry.ts';
import { DOC, headerComment, renderPropertiesDoc } from '../scripts/properties-doc.ts';

const ROOT = resolve(import.meta.dirname, '..');
const FIXTURE_LIBRARY = join(ROOT, 'test/fixtures/library');

/** The cells of a Markdown table row, split at the pipes that are not escaped. */
const cells = (row: string) => row.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());

/** The property table rows of one family's section. */
function section(doc: string, family: string): string[] {
  const start = doc.indexOf(`\n## ${family}\n`);
  if (start < 0) return [];
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end < 0 ? undefined : end).split('\n').filter((l) => l.startsWith('| `'));
}

describe('docs/properties.md', () => {
  let library: Map<string, LoadedKernel>;
  beforeAll(async () => {
    library = await loadKernels(ROOT);
  });

  it('is current: regenerating it from the library gives the committed page (else run `npm run docs:properties`)', () => {
    const committed = readFileSync(DOC, 'utf8');
    const fresh = renderPropertiesDoc(library);
    const a = committed.split('\n');
    const b = fresh.split('\n');
    const line = a.findIndex((l, i) => l !== b[i]);
    const where = line < 0 ? `the generated page has ${b.length - a.length} more lines` : `line ${line + 1} is now: ${b[line] ?? '(end of page)'}`;
    expect(committed === fresh, `docs/properties.md is stale (${where}): run \`npm run docs:properties\` and commit it`).toBe(true);
  });

  it('lists every kernel, and every property of it in its family\'s table with three cells', () => {
    const doc = renderPropertiesDoc(library);
    for (const [name, k] of library) {
      expect(doc).toContain(`| \`${name}\` | [${k.family.name}](#${k.family.name}) |`);
      const rows = section(doc, k.family.name);
      const named = rows.map((r) => /^\| `([^`]+)`/.exec(r)![1]);
      expect(named).toEqual(expect.arrayContaining(k.properties.map((p) => p.name)));
      for (const row of rows) expect(cells(row), row).toHaveLength(3);
    }
  });

  it('shows a bound of a kind Markdown would mangle intact, and a property without a bound as —', async () => {
    const doc = renderPropertiesDoc(library);
    const softmax = section(doc, 'softmax').find((r) => r.startsWith('| `sums-to-one`'))!;
    expect(cells(softmax)[2]).toBe('\\|Σ_j ŷ_j − 1\\| ≤ Σ_j tol_j + n·2^-52');
    const fixture = renderPropertiesDoc(await loadKernels(FIXTURE_LIBRARY), FIXTURE_LIBRARY);
    const throws = section(fixture, 'scale').find((r) => r.startsWith('| `throws-on-purpose`'))!;
    expect(cells(throws)[2]).toBe('—');
  });

  it('notices a change: a property edited in the library no longer matches the page', () => {
    const edited = new Map(library);
    const relu = edited.get('relu')!;
    edited.set('relu', { ...relu, properties: relu.properties.map((p) => (p.name === 'idempotent' ? { ...p, bound: 'within 1 ULP' } : p)) });
    expect(renderPropertiesDoc(edited)).not.toBe(readFileSync(DOC, 'utf8'));
  });

  it('quotes the comment that opens a family file (where the tolerance is derived)', () => {
    expect(headerComment('// first\n//\n//  2. indented\nimport x from "y";\n// not this')).toBe('first\n\n 2. indented');
  });

  it('--check exits 1 on a stale page and 0 on a fresh one; --library writes the catalogue of another library', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ks-propdoc-'));
    const out = join(dir, 'properties.md');
    const script = join(ROOT, 'scripts/properties-doc.ts');
    const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', script, '--library', FIXTURE_LIBRARY, '--out', out, ...args], { cwd: ROOT, encoding: 'utf8' });
    writeFileSync(out, '# old\n');
    const stale = run('--check');
    expect(stale.status).toBe(1);
    expect(stale.stderr).toMatch(/is stale: run `npm run docs:properties`/);
    expect(run().status).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('## scale');
    expect(run('--check').status).toBe(0);
  });
});
