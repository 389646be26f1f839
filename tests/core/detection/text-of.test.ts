/**
 * The detection model reads node text with its own `textOf`: it must give
 * what `mdast-util-to-string` gives, for every node of every document we have.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Nodes, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { describe, expect, it } from 'vitest';
import { createDetectionProcessor } from '../../../src/catalog/processor.ts';
import { textOf } from '../../../src/core/detection/extract.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const processor = createDetectionProcessor();
const texts = ['detections', join('tests', 'fixtures')].flatMap((dir) =>
  (readdirSync(join(root, dir), { recursive: true }) as string[])
    .filter((f) => f.endsWith('.md'))
    .map((f) => readFileSync(join(root, dir, f), 'utf8')),
);

function* nodes(node: Nodes): Generator<Nodes> {
  yield node;
  if ('children' in node) for (const child of node.children) yield* nodes(child);
}

describe('textOf', () => {
  it('gives what mdast-util-to-string gives, node by node', () => {
    let count = 0;
    for (const text of texts) {
      const tree = processor.parse(text) as Root;
      for (const node of nodes(tree)) {
        expect(textOf(node)).toBe(toString(node));
        count++;
      }
      expect(textOf(tree.children)).toBe(toString(tree.children));
    }
    expect(count).toBeGreaterThan(1000);
  });

  it('reads image alt text, HTML and odd values as toString does', () => {
    const odd = [
      { type: 'image', url: 'x', alt: 'an image' },
      { type: 'image', url: 'x', alt: '' },
      { type: 'html', value: '<b>' },
      { type: 'paragraph', children: [{ type: 'text' }, { type: 'text', value: 'a' }, null, 3] },
      null,
      'text',
      [],
    ];
    for (const value of odd) expect(textOf(value)).toBe(toString(value as Nodes));
  });
});
