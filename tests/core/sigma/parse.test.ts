import { describe, expect, it } from 'vitest';
import { parseSigmaBlock } from '../../../src/core/sigma/parse.ts';
import type { SigmaCorrelation, SigmaFilter, SigmaRule } from '../../../src/core/sigma/model.ts';
import { wholeFile, type TextSource } from '../../../src/core/text/source.ts';

const RULE = `title: Whoami
id: 929a690e-bef0-4204-a928-ef5e620d6fcc
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\\whoami.exe'
        EventID:
            - 1
            - 0x17
        Field: null
    keywords:
        - evil
        - 'bad'
    any:
        - A: 1
        - B|contains|all: [x, y]
    condition: selection and not (keywords or 1 of any*)
level: high
`;

describe('parseSigmaBlock', () => {
  it('reads a rule with maps, value lists, nulls, keyword lists and lists of maps', () => {
    const result = parseSigmaBlock(wholeFile(RULE));
    expect(result.diagnostics).toEqual([]);
    const rule = result.documents[0] as SigmaRule;
    expect(rule.type).toBe('rule');
    expect(rule.logsource).toEqual({ category: 'process_creation', product: 'windows' });
    const [selection, keywords, any] = rule.detection.searches;
    expect(selection!.search.type).toBe('fields');
    if (selection!.search.type !== 'fields') return;
    const [image, eventId, field] = selection!.search.matchers;
    expect(image!.field).toBe('Image');
    expect(image!.modifiers.map((m) => m.name)).toEqual(['endswith']);
    expect(image!.modifiers[0]!.range.start).toMatchObject({ line: 8, column: 15 });
    expect(image!.values).toMatchObject([{ type: 'string', value: '\\whoami.exe' }]);
    expect(eventId!.values.map((v) => (v.type === 'number' ? v.value : null))).toEqual([1, 23]);
    expect(eventId!.list).toBe(true);
    expect(field!.values[0]!.type).toBe('null');
    expect(keywords!.search).toMatchObject({ type: 'keywords', values: [{ value: 'evil' }, { value: 'bad' }] });
    expect(any!.search.type).toBe('any-of');
    expect(rule.detection.condition).toMatchObject({
      type: 'and',
      children: [
        { type: 'identifier', name: 'selection' },
        {
          type: 'not',
          child: {
            type: 'or',
            children: [
              { name: 'keywords' },
              { type: 'quantified', quantifier: 'any', target: { type: 'pattern', pattern: 'any*' } },
            ],
          },
        },
      ],
    });
    expect(rule.detection.searches[0]!.range.start).toMatchObject({ line: 7, column: 5 });
    expect(rule.ranges.value('detection.selection.EventID.1')!.start).toMatchObject({ line: 11, column: 15 });
  });

  it('shifts every position to the file when the block sits inside a Markdown document', () => {
    const source: TextSource = {
      text: 'title: t\nlogsource:\n  product: x\ndetection:\n  sel:\n    A|contians: 1\n  condition: sel or\n',
      line: 20,
      column: 3,
    };
    const result = parseSigmaBlock(source);
    const rule = result.documents[0] as SigmaRule;
    const sel = rule.detection.searches[0]!.search;
    expect(sel.type === 'fields' && sel.matchers[0]!.modifiers[0]!.range.start).toEqual({ line: 25, column: 9 });
    expect(rule.detection.conditions![0]!.error).toMatchObject({ range: { start: { line: 26, column: 22 } } });
  });

  it.each([
    ['plain', 'condition: sel and ) x', 2, 22],
    ['single quoted', "condition: 'sel and ) x'", 2, 23],
    ['double quoted', 'condition: "sel and ) x"', 2, 23],
    ['folded block', 'condition: >\n    sel and\n    ) x', 4, 7],
    ['literal block', 'condition: |\n    sel and\n    ) x', 4, 7],
    ['multi-line plain', 'condition: sel and\n    ) x', 3, 7],
  ])('places condition errors in %s scalars on the offending token', (_kind, condition, line, column) => {
    const text = `detection:\n  ${condition.replace(/\n/g, '\n  ')}\n`;
    const rule = parseSigmaBlock(wholeFile(text)).documents[0] as SigmaRule;
    expect(rule.detection.conditions![0]!.error!.range.start).toMatchObject({ line, column });
  });

  it('reports YAML syntax errors with positions and keeps the good documents', () => {
    const result = parseSigmaBlock(
      wholeFile('title: a\nlogsource: {product: x}\ndetection: {s: {a: 1}, condition: s}\n---\ntitle: [\n'),
    );
    expect(result.documents).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({ ruleId: 'sigma/invalid-yaml', place: { start: { line: 6 } } });
  });

  it('reports duplicate keys', () => {
    const result = parseSigmaBlock(wholeFile('title: a\ntitle: b\n'));
    expect(result.diagnostics).toMatchObject([
      { ruleId: 'sigma/invalid-yaml', place: { start: { line: 2, column: 1 } } },
    ]);
  });

  it('reads a multi-document correlation with its base rules', () => {
    const text = `title: Many failed logins
correlation:
    type: value_percentile
    rules:
        - failed_login
    group-by:
        - User
    timespan: 10m
    condition:
        field: Duration
        gte: 10
---
title: Failed login
name: failed_login
logsource:
    product: windows
    service: security
detection:
    selection:
        EventID: 4625
    condition: selection
`;
    const result = parseSigmaBlock(wholeFile(text));
    expect(result.diagnostics).toEqual([]);
    const [correlation, rule] = result.documents as [SigmaCorrelation, SigmaRule];
    expect(correlation).toMatchObject({
      type: 'correlation',
      correlationType: 'value_percentile',
      rules: ['failed_login'],
      groupBy: ['User'],
      timespan: '10m',
      timespanMs: 600000,
      condition: { field: 'Duration', gte: 10 },
    });
    expect(rule.name).toBe('failed_login');
    expect(rule.ranges.key('name')!.start.line).toBe(14);
  });

  it('rejects an unknown correlation type with a suggestion', () => {
    const result = parseSigmaBlock(
      wholeFile('title: x\ncorrelation:\n  type: event_cont\n  rules: [a]\n  timespan: 1h\n'),
    );
    expect(result.documents).toEqual([]);
    expect(result.diagnostics).toMatchObject([
      { ruleId: 'sigma/invalid-correlation', expected: ['event_count'], place: { start: { line: 3, column: 9 } } },
    ]);
  });

  it('reads a filter', () => {
    const text = `title: Filter admins
logsource:
    product: windows
filter:
    rules:
        - 6f3e2987-db24-4c78-a860-b4f4095a7095
    selection:
        User|startswith: adm_
    condition: not selection
`;
    const filter = parseSigmaBlock(wholeFile(text)).documents[0] as SigmaFilter;
    expect(filter).toMatchObject({ type: 'filter', rules: ['6f3e2987-db24-4c78-a860-b4f4095a7095'] });
    expect(filter.filter.searches.map((s) => s.name)).toEqual(['selection']);
    expect(filter.filter.condition).toMatchObject({ type: 'not', child: { name: 'selection' } });
  });

  it.each([
    ['a list of conditions means OR', 'condition:\n    - a\n    - b', 'or'],
    ['all of them', 'condition: all of them', 'quantified'],
  ])('%s', (_name, condition, type) => {
    const rule = parseSigmaBlock(
      wholeFile(`detection:\n  a: {x: 1}\n  b: {y: 2}\n  ${condition.replace(/\n/g, '\n  ')}\n`),
    ).documents[0] as SigmaRule;
    expect(rule.detection.condition?.type).toBe(type);
  });

  it('reports searches that are not maps or lists', () => {
    const result = parseSigmaBlock(wholeFile('detection:\n  sel:\n    A:\n      b: 1\n  empty:\n  condition: sel\n'));
    expect(result.diagnostics.map((d) => [d.ruleId, d.place?.start.line])).toEqual([
      ['sigma/invalid-value', 4],
      ['sigma/invalid-search', 5],
    ]);
  });
});
