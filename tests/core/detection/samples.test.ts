/**
 * The one-object fast path of sample blocks must agree with the syntax tree
 * the general path builds (jsonc-parser, strict): same object, same offsets.
 */
import fc from 'fast-check';
import { parseTree, type ParseError } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { readSingleObject } from '../../../src/core/detection/samples.ts';

const STRICT = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false };

describe('readSingleObject', () => {
  it('reads what parseTree reads, wherever it accepts a text', () => {
    const space = fc.constantFrom('', ' ', '\n', '\t', '\r\n', '\u00a0', '//c\n');
    const body = fc.oneof(
      fc.json(),
      fc.jsonValue().map((v) => JSON.stringify(v, null, 2)),
      fc.constantFrom('{"a":1,}', '{"a":1}{"b":2}', '{"a":1}\n{"b":2}', '[{"a":1}]', '{', '{"a":"\u0001"}'),
    );
    let accepted = 0;
    fc.assert(
      fc.property(space, body, space, (before, json, after) => {
        const text = before + json + after;
        const single = readSingleObject(text);
        if (!single) return;
        accepted++;
        const errors: ParseError[] = [];
        const tree = parseTree(text, errors, STRICT);
        expect(errors).toEqual([]);
        expect(tree?.type).toBe('object');
        expect([single.start, single.end]).toEqual([tree!.offset, tree!.offset + tree!.length]);
        expect(single.value).toEqual(JSON.parse(text.slice(tree!.offset, tree!.offset + tree!.length)));
      }),
      { numRuns: 3000, seed: 20260101 },
    );
    expect(accepted).toBeGreaterThan(100);
  });

  it.each(['[{"a":1}]', '{"a":1}\n{"b":2}', '{"a":1,}', '// c\n{"a":1}', '\u00a0{"a":1}', '"text"', ''])(
    'leaves %j to the general path',
    (text) => {
      expect(readSingleObject(text)).toBeUndefined();
    },
  );
});
