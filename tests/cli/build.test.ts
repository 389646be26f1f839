import { cpSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { withoutTokenSpans } from '../../src/cli/commands/build.ts';
import { run, workspace } from '../helpers/cli.ts';
import { validDocument } from '../helpers/documents.ts';

const fixture = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/site-catalog');

describe('loom build', () => {
  it('builds the bundle, the pages and the search index of a catalog in one run', { timeout: 180_000 }, async () => {
    const dir = workspace();
    cpSync(fixture, join(dir, 'detections'), { recursive: true });
    const out = join(workspace(), 'out');
    const result = await run(dir, 'build', '--out', out);
    expect(result.stderr).not.toMatch(/failed|problem/i);
    expect(result.code).toBe(0);
    for (const name of ['check', 'bundle', 'code', 'site', 'verify', 'search'])
      expect(result.stderr).toMatch(new RegExp(`loom build: ${name} .*\\(\\d+\\.\\d s\\)`));
    expect(result.stdout).toMatch(/loom build: 4 detections -> /);

    const rules = JSON.parse(readFileSync(join(out, 'bundle/rules.json'), 'utf8'));
    expect(rules.detections.map((d: { id: string }) => d.id)).toContain('11111111-1111-4111-8111-111111111111');
    expect(existsSync(join(out, 'bundle/schema.json'))).toBe(true);
    expect(existsSync(join(out, 'bundle/sigma/11111111-1111-4111-8111-111111111111.yml'))).toBe(true);

    const page = readFileSync(join(out, 'site/detections/windows/encoded-powershell-fixture/index.html'), 'utf8');
    expect(page).toContain('data-loom-page="11111111-1111-4111-8111-111111111111"');
    // The pages come from the catalog given to `loom build`, not from a second load of detections/.
    expect(existsSync(join(out, 'site/detections/linux/experimental-curl-pipe-fixture/index.html'))).toBe(true);
    expect(existsSync(join(out, 'site/index.html'))).toBe(true);

    const entry = JSON.parse(readFileSync(join(out, 'site/pagefind/pagefind-entry.json'), 'utf8'));
    expect(
      Object.values(entry.languages as Record<string, { page_count: number }>)[0]!.page_count,
    ).toBeGreaterThanOrEqual(4);
    expect(existsSync(join(out, 'site/pagefind/pagefind-ui.js'))).toBe(true);
    // Detection pages reach Pagefind while Astro renders, the rest from the folder: each once, at its own URL.
    const urls = readdirSync(join(out, 'site/pagefind/fragment')).map((f) => {
      const text = gunzipSync(readFileSync(join(out, 'site/pagefind/fragment', f))).toString('utf8');
      return (JSON.parse(text.slice(text.indexOf('{'))) as { url: string }).url;
    });
    expect(new Set(urls).size).toBe(urls.length);
    for (const url of urls) expect(existsSync(join(out, 'site', url, 'index.html'))).toBe(true);
    expect(urls).toContain('/detections/windows/encoded-powershell-fixture/');
    expect(urls.filter((u) => u.startsWith('/detections/'))).toHaveLength(4);
    expect(result.stderr).toMatch(/Pagefind indexed \d+ pages \(4 of them while Astro rendered\)/);
  });

  it('prints positioned diagnostics and exits 1, building nothing, when the catalog has errors', async () => {
    const dir = workspace({ 'detections/windows/x.md': validDocument({ 'status: stable': 'status: stabel' }) });
    const result = await run(dir, 'build', '--out', 'dist');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/detections\/windows\/x\.md:\d+:\d+: error .*stabel.* {2}frontmatter\//);
    expect(result.stderr).toContain('the catalog has errors; nothing was built');
    expect(existsSync(join(dir, 'dist'))).toBe(false);
  });

  it('hands Pagefind the pages without the token spans of highlighted code, text unchanged', async () => {
    const { getHighlighter, highlight } = await import('../../src/site/highlight.ts');
    const pre = highlight(await getHighlighter(), 'logsource:\n  product: windows # x < y', 'sigma');
    const page = `<main data-pagefind-body><p><span class="badge">stable</span></p>${pre}</main>`;
    const stripped = withoutTokenSpans(page);
    expect(pre).toContain('<span style=');
    expect(stripped).not.toContain('<span style=');
    expect(stripped).toContain('<span class="badge">stable</span>');
    expect(stripped).toContain('<code>logsource:\n  product: windows # x &#x3C; y</code></pre>');
    const text = (html: string) => html.replace(/<[^>]*>/g, '');
    expect(text(stripped)).toBe(text(page));
  });

  it.each([
    [['build', 'nope'], 2],
    [['build', '--bogus'], 2],
    [['build', '--out', '.'], 2],
  ])('exits 2 on usage errors: %j', async (args, code) => {
    const dir = workspace();
    cpSync(fixture, join(dir, 'detections'), { recursive: true });
    expect((await run(dir, ...args)).code).toBe(code);
  });

  it('has a help text that names every phase', async () => {
    const result = await run(workspace(), 'build', '--help');
    expect(result.code).toBe(0);
    for (const word of ['check', 'bundle', 'site', 'verify', 'search', '--out', 'LOOM_OUT'])
      expect(result.stdout).toContain(word);
  });
});
