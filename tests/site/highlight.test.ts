import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.ts';
import { getHighlighter, highlight, highlightKey, highlightStats, shikiLanguage } from '../../src/site/highlight.ts';
import { highlightAll, type HighlightRequest } from '../../src/site/highlight-pool.ts';
import { highlightRequests } from '../../src/site/pages.ts';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../..');
const catalog = loadCatalog(['detections', 'tests/fixtures/site-catalog'], { cwd: repo });
const requests: HighlightRequest[] = catalog.detections.flatMap((d) => highlightRequests(d));
// Blocks in every highlighted language, and one Shiki does not know.
const tricky: HighlightRequest[] = [
  { code: 'a: |\n  literal: not a key\n  - not a list\nb: >-\n  folded\n  text\nc: "multi\n  line"\n', lang: 'yaml' },
  { code: 'x: 1\r\ny:\r\n  - 2 # comment\r\n', lang: 'sigma' },
  { code: '{\n  "a": "b\\"c",\n  "d": [1, 2]\n}', lang: 'json' },
  { code: 'from logs-*\n| where process.name == "x" // why\n| limit 10', lang: 'esql' },
  { code: '', lang: 'yaml' },
  { code: 'sequence by host.id\n  [process where process.name == "a.exe"]', lang: 'eql' },
  { code: 'Get-Process | Where-Object { $_.CPU -gt 10 } # c', lang: 'powershell' },
  { code: 'echo "$HOME" | grep -E \'^a\'', lang: 'bash' },
  { code: 'SecurityEvent | where EventID == 4688 | project TimeGenerated', lang: 'kql' },
  { code: "SELECT * FROM t WHERE a LIKE '%x%' -- c", lang: 'sql' },
  { code: 'plain <b>text</b>', lang: 'nope' },
];

describe('highlight', () => {
  it("gives exactly Shiki's dual-theme HTML, though it tokenizes each block once", async () => {
    const hl = await getHighlighter();
    expect(requests.length).toBeGreaterThan(60);
    for (const r of [...requests, ...tricky]) {
      const lang = shikiLanguage(r.lang);
      if (!lang) continue; // plain text, below
      expect(highlight(hl, r.code, r.lang)).toBe(
        hl.codeToHtml(r.code, { lang, themes: { light: 'github-light', dark: 'github-dark' }, defaultColor: 'light' }),
      );
    }
    expect(highlight(hl, 'a: 1', 'sigma')).toContain('--shiki-dark:');
    // Every block of a known language took the one-pass path (none fell back to two tokenizations).
    const known = new Set(
      [...requests, ...tricky].filter((r) => shikiLanguage(r.lang)).map((r) => highlightKey(r.code, r.lang)),
    );
    expect(highlightStats().onePass).toBe(known.size + 1);
  });

  it('escapes blocks in languages Shiki does not know', async () => {
    expect(highlight(await getHighlighter(), 'plain <b>text</b>', 'nope')).toBe(
      '<pre class="shiki plain"><code>plain &lt;b&gt;text&lt;/b&gt;</code></pre>',
    );
  });

  it('treats sigma and yaml blocks with the same text as one block', () => {
    expect(highlightKey('a: 1', 'sigma')).toBe(highlightKey('a: 1', 'YAML'));
    expect(highlightKey('a: 1', 'sigma')).not.toBe(highlightKey('a: 1', 'json'));
  });
});

describe('highlightAll', () => {
  it('highlights each distinct block once, in worker threads, as this thread would', async () => {
    const all = [...requests, ...tricky, ...requests];
    const pooled = await highlightAll(all, { threads: 2, minPerWorker: 1 });
    expect(pooled.threads).toBe(2);
    const distinct = new Set(all.map((r) => highlightKey(r.code, r.lang)));
    expect(pooled.distinct).toBe(distinct.size);
    expect(pooled.html.size).toBe(distinct.size);
    const hl = await getHighlighter();
    for (const r of [...requests, ...tricky])
      expect(pooled.html.get(highlightKey(r.code, r.lang))).toBe(highlight(hl, r.code, r.lang));
  });
});
