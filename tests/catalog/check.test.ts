/**
 * `loom check`'s catalog pass (checkCatalogFiles) must report exactly what
 * loadCatalog reports, in the same order, on catalogs with every kind of
 * per-file and cross-file problem.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkCatalogFiles } from '../../src/catalog/check.ts';
import { loadCatalog } from '../../src/catalog/load.ts';
import { syntheticDetection } from '../bench/generate.ts';

const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'loom-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const detection = readFileSync(join(root, 'tests', 'fixtures', 'doc-clean', 'input.md'), 'utf8');
const files: Record<string, string | Uint8Array> = {
  // The same id and title twice, and a file name that is not the title's slug.
  'dup/a.md': detection,
  'dup/b.md': detection,
  // Outside the fast Markdown path (a block quote): its Sigma ranges, read again for a finding, need the full pipeline.
  'slow/c.md': detection + '\n> A quoted note.\n',
  'bad/not-utf8.md': new Uint8Array([0x2d, 0x2d, 0x2d, 0x0a, 0xff, 0xfe]),
  'bad/bom.md': '\ufeff' + detection,
  'bad/empty.md': '',
  'bad/too-large.md': 'x'.repeat(5000),
  'sigma/one.yml':
    'title: Twice\nid: 5f0b5e0e-6a55-4a6e-9d1c-2f4f1b0c3a11\nlogsource:\n  product: windows\ndetection:\n  sel:\n    A: b\n  condition: sel\n',
  'sigma/two.yml':
    'title: Twice\nid: 5f0b5e0e-6a55-4a6e-9d1c-2f4f1b0c3a11\nlogsource:\n  product: windows\ndetection:\n  sel:\n    A: b\n  condition: sel\n',
  'sigma/correlation.yml':
    'title: Many\nid: 0b8e7c1e-3d6e-4c11-9e4f-7f2a6b1c9d20\ncorrelation:\n  type: event_count\n  rules:\n    - no-such-rule\n  group-by:\n    - A\n  timespan: 5m\n  condition:\n    gte: 3\n',
  'sigma/broken.yml': 'title: [unclosed\n',
};
for (let i = 0; i < 30; i++) {
  const { path, text } = syntheticDetection(i);
  files[join('generated', path)] = text;
}
for (const [path, content] of Object.entries(files)) {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), content);
}

/** Diagnostics as plain data (lazy Sigma ranges become `{ start, end }`). */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

describe('checkCatalogFiles', () => {
  it.each([
    ['the repository detections and fixtures', ['detections', 'tests/fixtures'], root],
    ['a catalog with bad files and cross-file problems', ['.'], dir],
  ])('reports what loadCatalog reports: %s', async (_name, paths, cwd) => {
    const options = { cwd, sigmaFiles: true, maxFileSize: 4096 };
    const checked = await checkCatalogFiles(paths, options);
    const loaded = loadCatalog(paths, options);
    expect(checked.fileCount).toBe(loaded.fileCount);
    expect(checked.missing).toEqual(loaded.missing);
    expect(plain(checked.diagnostics)).toEqual(plain(loaded.diagnostics));
  });

  it('finds the cross-file problems it is meant to find', async () => {
    const { diagnostics } = await checkCatalogFiles(['.'], { cwd: dir, sigmaFiles: true });
    const ids = new Set(diagnostics.map((d) => d.ruleId));
    for (const id of [
      'catalog/duplicate-id',
      'catalog/duplicate-title',
      'sigma/duplicate-id',
      'sigma/unknown-correlation-rule',
      'file/not-utf8',
      'file/empty',
    ])
      expect(ids).toContain(id);
  });

  it('reports paths that do not exist', async () => {
    expect((await checkCatalogFiles(['nope'], { cwd: dir })).missing).toEqual(['nope']);
  });
});
