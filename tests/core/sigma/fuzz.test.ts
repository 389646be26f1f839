/**
 * Bad input never crashes the parser or the validators, and every
 * diagnostic is placed inside the block, whatever the block holds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCondition } from '../../../src/core/sigma/condition.ts';
import { parseSigmaBlock } from '../../../src/core/sigma/parse.ts';
import { validateSigmaCatalog, validateSigmaDocuments } from '../../../src/core/sigma/validate.ts';
import type { TextSource } from '../../../src/core/text/source.ts';

const conditionWord = fc.constantFrom(
  'sel',
  'filter',
  'and',
  'or',
  'not',
  '(',
  ')',
  '1 of',
  'all of',
  'them',
  'sel*',
  '|',
  'count()',
  '>',
  '5',
  'near',
  'AND',
  '',
);
const condition = fc.array(conditionWord, { maxLength: 12 }).map((w) => w.join(' '));
const modifier = fc.constantFrom(
  'contains',
  'endswith',
  'startswith',
  'all',
  're',
  'i',
  'base64',
  'base64offset',
  'wide',
  'cidr',
  'exists',
  'gt',
  'expand',
  'fieldref',
  'contians',
  '',
  'windash',
);
const key = fc
  .tuple(fc.constantFrom('Image', 'CommandLine', '', 'Event.ID'), fc.array(modifier, { maxLength: 3 }))
  .map(([f, m]) => [f, ...m].join('|'));
const scalar = fc.oneof(
  fc.constantFrom("'*evil*'", '1', 'null', 'true', "'(a'", "'10.0.0.0/8'", '"a\\\\b"', "''", '%x%', '-', '[]', '{}'),
  fc.string({ maxLength: 8 }).map((s) => JSON.stringify(s)),
);
const field = fc
  .tuple(
    key,
    fc.oneof(
      scalar,
      fc.array(scalar, { minLength: 1, maxLength: 3 }).map((v) => '\n' + v.map((x) => `            - ${x}`).join('\n')),
    ),
  )
  .map(([k, v]) => `        '${k}': ${v}`);
const rule = fc
  .tuple(
    fc.array(field, { maxLength: 4 }),
    condition,
    fc.constantFrom(
      '',
      'tags: [attack.T1059, x]\n',
      'status: stabel\n',
      'date: 2020/01/01\n',
      '---\n',
      'correlation: {type: event_count, rules: [a], timespan: 5x}\n',
    ),
    fc.boolean(),
  )
  .map(
    ([fields, cond, extra, block]) =>
      `title: t\nlogsource:\n    product: windows\ndetection:\n    sel:\n${fields.join('\n') || '        A: 1'}\n    condition: ${block ? '>\n        ' : ''}${cond}\n${extra}`,
  );

/** Arbitrary text: YAML-ish fragments mixed with noise. */
const noise = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        ':',
        '-',
        ' ',
        '\n',
        '  ',
        '|',
        '>',
        "'",
        '"',
        '[',
        ']',
        '{',
        '}',
        '#',
        '&a',
        '*a',
        '!!str',
        '---',
        '\t',
        'detection',
        'condition',
        'title',
      ),
      fc.string({ maxLength: 4 }),
    ),
    { maxLength: 40 },
  )
  .map((p) => p.join(''));

function checkInside(source: TextSource): void {
  const parsed = parseSigmaBlock(source);
  const diagnostics = [
    ...parsed.diagnostics,
    ...validateSigmaDocuments(parsed.documents, {}),
    ...validateSigmaCatalog([{ file: 'x', documents: parsed.documents }]),
  ];
  const lines = source.text.split('\n').length;
  for (const d of diagnostics) {
    expect(d.place, d.message).toBeDefined();
    const { start, end } = d.place!;
    expect(start.line).toBeGreaterThanOrEqual(source.line);
    expect(start.line).toBeLessThanOrEqual(source.line + lines - 1);
    expect(start.column).toBeGreaterThanOrEqual(source.column);
    if (end) expect(end.line * 1e6 + end.column).toBeGreaterThanOrEqual(start.line * 1e6 + start.column);
    expect(d.message).toMatch(/^Unexpected /);
  }
}

describe('Sigma bad input', () => {
  it('conditions: never throw, errors stay inside the string', () => {
    fc.assert(
      fc.property(condition, (text) => {
        const result = parseCondition(text, (s, e) => ({
          start: { line: 1, column: s + 1 },
          end: { line: 1, column: e + 1 },
        }));
        if (!result.ok) {
          expect(result.error.start).toBeGreaterThanOrEqual(0);
          expect(result.error.end).toBeLessThanOrEqual(text.length);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('rules with random modifiers, values and conditions: never throw, diagnostics inside the block', () => {
    fc.assert(
      fc.property(rule, fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 8 }), (text, line, column) =>
        checkInside({ text, line, column }),
      ),
      { numRuns: 400 },
    );
  });

  it.each(['---i:', 'title: t\n---titl: x', '...x: 1'])(
    'places every diagnostic of %j (js-yaml reads `---x` apart)',
    (text) => checkInside({ text, line: 10, column: 1, offset: 200 }),
  );

  it('arbitrary text: never throws, diagnostics inside the block', () => {
    fc.assert(
      fc.property(noise, (text) => checkInside({ text, line: 10, column: 1, offset: 200 })),
      { numRuns: 1000 },
    );
  });
});
