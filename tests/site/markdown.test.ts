import type { Code, RootContent } from 'mdast';
import { describe, expect, it } from 'vitest';
import { nodesToHtml, sectionsToHtml } from '../../src/site/markdown.ts';
import { parse, validDocument } from '../helpers/documents.ts';

const renderCode = (c: Code) => `<pre data-lang="${c.lang}">${c.value.length}</pre>`;

function sections(replace: Record<string, string>): (readonly RootContent[])[] {
  return parse(validDocument(replace)).detection.sections.map((s) => s.nodes);
}

describe('sectionsToHtml', () => {
  it('renders each section as nodesToHtml renders it alone', () => {
    const nodes = sections({});
    expect(nodes.length).toBeGreaterThan(5);
    expect(sectionsToHtml(nodes, renderCode)).toEqual(nodes.map((n) => nodesToHtml(n, renderCode)));
    expect(sectionsToHtml(nodes, renderCode).join('')).toContain('<pre data-lang="sigma">');
  });

  it('resolves a link reference defined in another section, as Markdown does', () => {
    const nodes = sections({
      'Detect encoded PowerShell.': 'Detect encoded PowerShell, see [the write-up][ref].',
      '1. Isolate.': '1. Isolate.\n\n[ref]: https://example.org/write-up',
    });
    const html = sectionsToHtml(nodes, renderCode).join('\n');
    expect(html).toContain('<a href="https://example.org/write-up" rel="noopener noreferrer">the write-up</a>');
  });

  it('sanitizes every section and keeps their code blocks in order', () => {
    const html = sectionsToHtml(
      [
        [{ type: 'html', value: '<script>alert(1)</script>' }],
        [{ type: 'code', lang: 'spl', value: 'index=a' }],
        [{ type: 'code', lang: 'kql', value: 'T | take 1' }],
      ],
      renderCode,
    );
    expect(html).toEqual(['', '<pre data-lang="spl">7</pre>', '<pre data-lang="kql">10</pre>']);
  });
});
