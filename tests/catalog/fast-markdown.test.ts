/**
 * Differential test of the fast Markdown path: wherever it accepts a document,
 * its tree and the diagnostics built from it must equal those of the full
 * pipeline (remark-parse + remark-frontmatter + remark-gfm + remark-detection).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import type { Root } from 'mdast';
import { describe, expect, it } from 'vitest';
import { parseFastMarkdown } from '../../src/catalog/fast-markdown.ts';
import { createDetectionProcessor } from '../../src/catalog/processor.ts';
import { buildDetection } from '../../src/core/detection/index.ts';
import { syntheticDetection } from '../bench/generate.ts';
import { corpus } from '../helpers/corpus.ts';
import { importSigmaRule } from '../../src/core/sigma/import.ts';
import { parseSigmaBlock } from '../../src/core/sigma/parse.ts';
import { wholeFile } from '../../src/core/text/source.ts';

const processor = createDetectionProcessor();
const root = join(import.meta.dirname, '..', '..');

/** Plain JSON of a tree (drops undefined fields, as a comparison should). */
function plain(tree: Root): unknown {
  return JSON.parse(JSON.stringify(tree));
}

function markdownFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => join(dir, f));
}

/** Full-pipeline tree and diagnostics, and the fast ones when the fast path accepts the text. */
function both(text: string) {
  const full = processor.parse(text) as Root;
  const fast = parseFastMarkdown(text);
  const diagnostics = (tree: Root) => buildDetection(tree, { path: 'doc.md', text }).diagnostics;
  return {
    fast: fast && { tree: plain(fast), diagnostics: diagnostics(fast) },
    full: { tree: plain(full), diagnostics: diagnostics(full) },
  };
}

const ads = corpus('corpus/ads-examples');
const sigmahq = corpus('corpus/sigmahq');
const documents = [
  ...markdownFiles(join(root, 'detections')),
  ...markdownFiles(join(root, 'tests', 'fixtures')),
  ...(ads.available ? markdownFiles(ads.path) : []),
].map((path) => ({ name: relative(root, path), text: readFileSync(path, 'utf8') }));

describe('the fast Markdown path', () => {
  it.each(documents.map((d) => [d.name, d.text] as const))('%s: same tree and diagnostics as remark', (_name, text) => {
    const { fast, full } = both(text);
    if (fast) expect(fast).toEqual(full);
  });

  it('takes most of the repository documents (else it is not worth having)', () => {
    const own = documents.filter((d) => d.name.startsWith('detections'));
    const taken = own.filter((d) => parseFastMarkdown(d.text) !== undefined).length;
    expect(taken / own.length).toBeGreaterThan(0.5);
  });

  it.skipIf(!sigmahq.available)('agrees with remark on documents `loom import sigma` writes (autolinks)', () => {
    const dir = join(sigmahq.path, 'rules', 'windows', 'process_creation');
    const files = (readdirSync(dir) as string[]).filter((f) => f.endsWith('.yml')).sort();
    let taken = 0;
    for (const name of files.slice(0, 400)) {
      const parsed = parseSigmaBlock(wholeFile(readFileSync(join(dir, name), 'utf8')));
      const { text } = importSigmaRule(
        parsed.documents.map((d) => d.raw),
        {
          source: `https://github.com/SigmaHQ/sigma/blob/master/rules/windows/process_creation/${name}`,
          license: 'DRL-1.1',
          sigmaHQ: true,
        },
      );
      const { fast, full } = both(text);
      if (fast) {
        taken++;
        expect(fast, name).toEqual(full);
      }
    }
    expect(taken).toBeGreaterThan(200);
  });

  it('takes every generated benchmark document, with the same tree and diagnostics', () => {
    for (let i = 0; i < 3000; i += 37) {
      const { text } = syntheticDetection(i);
      const { fast, full } = both(text);
      expect(fast, `document ${i}`).toBeDefined();
      expect(fast).toEqual(full);
    }
  });

  it('refuses what it does not model instead of guessing', () => {
    for (const text of [
      'a\n===\n',
      '> quote\n',
      '| a | b |\n| - | - |\n',
      'a\\*b\n',
      'AT&amp;T\n',
      '<b>x</b>\n',
      '    indented code\n',
      '- a\n\n- b\n',
      '```sigma\nunterminated\n',
      'mail me@example.org\n',
      'www.example.org\n',
      '- [ ] task\n',
      '*a*b\n',
      '_a_\n',
      '~~gone~~\n',
      '[a][ref]\n\n[ref]: https://x.org\n',
      'line with trailing spaces  \nnext\n',
      '\tTab\n',
    ])
      expect(parseFastMarkdown(text), JSON.stringify(text)).toBeUndefined();
  });

  it('agrees with remark on random documents built from tricky pieces', () => {
    const inline = fc.constantFrom(
      'word',
      ' ',
      'snake_case',
      '`code`',
      '` spaced `',
      '``',
      '*em*',
      '**strong**',
      '*',
      '_',
      '[text](https://example.org/a_b)',
      '[text]',
      'https://example.org/path/',
      'https://example.org.',
      'http://x',
      '(https://example.org)',
      '<https://example.org/a_b?x=1&y=(2)>',
      '<HTTP://Example.org/>',
      '<https://example.org/a b>',
      '<https://example.org/a\\b>',
      '<https://example.org/&amp;>',
      '<https:>',
      '<http://x>.',
      '<',
      '>',
      'AT&T',
      'ES|QL',
      '-|-',
      ':-',
      '[multi\nline](https://example.org/x)',
      '&amp;',
      '!',
      '#',
      '.',
      ',',
      ':',
      '1.',
      '-',
      'é',
      '\n',
      '\n  ',
      '\n\n',
    );
    const text = fc.array(inline, { maxLength: 12 }).map((parts) => parts.join(''));
    const block = fc.oneof(
      text,
      text.map((t) => `# ${t}`),
      text.map((t) => `## ${t}`),
      text.map((t) => `- ${t}`),
      text.map((t) => `1. ${t}`),
      text.map((t) => `2) ${t}`),
      text.map((t) => `* ${t}`),
      text.map((t) => `\`\`\`sigma\n${t}\n\`\`\``),
      text.map((t) => `\`\`\`json expect=match name="a"\n${t}\n\`\`\`\n`),
      fc.constantFrom('---', '***', '```', '~~~', '', '  ', '   - nested'),
    );
    const document = fc
      .tuple(fc.boolean(), fc.array(block, { maxLength: 8 }), fc.constantFrom('\n', '\n\n', ''))
      .map(
        ([frontmatter, blocks, joiner]) =>
          (frontmatter ? '---\ntitle: x\n---\n' : '') + blocks.join(joiner === '' ? '\n' : joiner),
      );
    let accepted = 0;
    fc.assert(
      fc.property(document, (markdown) => {
        const { fast, full } = both(markdown);
        if (fast) {
          accepted++;
          expect(fast).toEqual(full);
        }
      }),
      { numRuns: 3000, seed: 20260101 },
    );
    // The pieces are meant to hit the subset often, not only its refusals.
    expect(accepted).toBeGreaterThan(300);
  });
});
