/**
 * Differential test of the fast frontmatter reader: wherever it accepts a
 * text, it must give what `yaml` gives (same values, same key offsets).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isScalar, parseDocument, type YAMLMap } from 'yaml';
import { readSimpleMapping } from '../../../src/core/detection/simple-yaml.ts';
import { syntheticDetection } from '../../bench/generate.ts';

/** What `yaml` reads from a text: its value and each top-level key's offsets. */
function reference(text: string) {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) return 'error';
  const keys = (doc.contents as YAMLMap).items.map((pair) => ({
    key: isScalar(pair.key) ? String(pair.key.value) : String(pair.key),
    start: isScalar(pair.key) ? pair.key.range?.[0] : undefined,
    end: isScalar(pair.key) ? pair.key.range?.[1] : undefined,
  }));
  return { raw: doc.toJS() as unknown, keys };
}

function frontmatterOf(markdown: string): string | undefined {
  const match = /^---\n([\s\S]*?)\n---(?:\n|$)/.exec(markdown);
  return match?.[1];
}

const root = join(import.meta.dirname, '..', '..', '..');
const texts = [
  ...(readdirSync(join(root, 'detections'), { recursive: true }) as string[])
    .filter((f) => f.endsWith('.md'))
    .map((f) => readFileSync(join(root, 'detections', f), 'utf8')),
  ...Array.from({ length: 40 }, (_, i) => syntheticDetection(i * 75).text),
]
  .map(frontmatterOf)
  .filter((t): t is string => t !== undefined);

describe('readSimpleMapping', () => {
  it('reads the frontmatter of the catalog and of generated documents as yaml does', () => {
    let taken = 0;
    for (const text of texts) {
      const simple = readSimpleMapping(text);
      if (!simple) continue;
      taken++;
      expect(simple).toEqual(reference(text));
    }
    expect(taken).toBeGreaterThan(texts.length / 2);
  });

  it.each([
    ['a number', 'count: 3'],
    ['a boolean', 'ok: true'],
    ['a null', 'x: ~'],
    ['an empty value', 'x:'],
    ['a float', 'v: 1.5e3'],
    ['a comment', '# note\nid: x'],
    ['a nested map', 'source:\n  url: x'],
    ['a block list', 'tags:\n  - a'],
    ['a duplicate key', 'a: x\na: y'],
    ['an escape', 'a: "x\\ny"'],
    ['a colon in a value', 'a: b: c'],
    ['nothing', ''],
  ])('leaves %s to yaml', (_name, text) => {
    expect(readSimpleMapping(text)).toBeUndefined();
  });

  it('agrees with yaml on random flat mappings', () => {
    const scalar = fc.constantFrom(
      'word',
      'two words',
      '2025-01-15',
      '0e5b6a2e-3f4d-4c6b-9a1e-2f7d8c9b0a1d',
      '12',
      '-3',
      '1.5',
      '.inf',
      'null',
      'True',
      'yes',
      "'quoted'",
      '"double"',
      "'it''s'",
      'a: b',
      'a #c',
      'T1059.001',
      '(paren)',
      '/path/x',
      '',
      ' ',
      '~',
    );
    const value = fc.oneof(
      scalar,
      fc.array(scalar, { maxLength: 4 }).map((items) => `[${items.join(', ')}]`),
      fc.array(scalar, { maxLength: 3 }).map((items) => `[${items.join(',')},]`),
    );
    const line = fc.tuple(fc.constantFrom('id', 'title', 'tags', 'x_y', 'a-b', '1a', 'tags'), value);
    const mapping = fc
      .array(
        fc.oneof(
          line.map(([k, v]) => `${k}: ${v}`),
          fc.constantFrom('', ' ', '# c', '- x'),
        ),
        {
          maxLength: 6,
        },
      )
      .map((lines) => lines.join('\n'));
    fc.assert(
      fc.property(mapping, (text) => {
        const simple = readSimpleMapping(text);
        if (simple) expect(simple).toEqual(reference(text));
      }),
      { numRuns: 3000, seed: 20260101 },
    );
  });
});
