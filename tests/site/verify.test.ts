import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.ts';
import { pageSlug } from '../../src/core/bundle/page.ts';
import { verifyPages } from '../../src/site/verify.ts';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../..');
const catalog = loadCatalog(['tests/fixtures/site-catalog'], { cwd: repo });

/** A fake built site: the fixed pages, and each detection page rendered or not. */
function site(render: (id: string) => string | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), 'loom-verify-'));
  for (const page of [
    'index.html',
    'attack/index.html',
    'authoring/index.html',
    'data-sources/index.html',
    '404.html',
  ]) {
    mkdirSync(dirname(join(dir, page)), { recursive: true });
    writeFileSync(join(dir, page), '<html></html>');
  }
  for (const d of catalog.detections) {
    const html = render(d.frontmatter!.id);
    if (html === undefined) continue;
    const file = join(dir, 'detections', pageSlug(d), 'index.html');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, html);
  }
  return dir;
}

describe('verifyPages', () => {
  it('accepts a site where every detection rendered', () => {
    expect(
      verifyPages(
        site((id) => `<article data-loom-page="${id}">`),
        catalog,
      ),
    ).toEqual([]);
  });

  it('reports a missing page and a page that did not render its detection', () => {
    const broken = '11111111-1111-4111-8111-111111111111';
    const missing = '22222222-2222-4222-8222-222222222222';
    const dir = site((id) =>
      id === missing ? undefined : id === broken ? '<p>error</p>' : `<b data-loom-page="${id}">`,
    );
    const problems = verifyPages(dir, catalog);
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toMatch(/encoded-powershell-fixture\.md: page does not render the detection/);
    expect(problems.join('\n')).toMatch(/legacy-certutil-download-fixture\.md: missing page detections\/windows\//);
  });

  it('reports the catalog errors it is given', () => {
    const withError = {
      detections: [],
      diagnostics: [
        {
          severity: 'error' as const,
          message: 'Unexpected status `stabel`',
          ruleId: 'frontmatter/invalid-status',
          file: 'detections/x.md',
          place: { start: { line: 4, column: 9 }, end: { line: 4, column: 15 } },
        },
      ],
    };
    expect(
      verifyPages(
        site(() => ''),
        withError as never,
      ),
    ).toEqual(['detections/x.md:4:9: Unexpected status `stabel`  frontmatter/invalid-status']);
  });
});
