import { describe, expect, it } from 'vitest';
import { parse, validDocument } from '../../helpers/documents.ts';
import { toSigmaRule, toSigmaRules } from '../../../src/core/sigma/merge.ts';

const correlation = validDocument({
  '```sigma': [
    '```sigma',
    'title: Failed logon',
    'name: failed_logon',
    'logsource:',
    '  product: windows',
    '  service: security',
    'detection:',
    '  selection:',
    '    EventID: 4625',
    '  condition: selection',
    'level: low',
    '---',
    'title: Encoded PowerShell',
    'name: many_failures',
    'correlation:',
    '  type: event_count',
    '  rules: [failed_logon]',
    '  group-by: [TargetUserName]',
    '  timespan: 10m',
    '  condition:',
    '    gte: 10',
    '---',
  ].join('\n'),
  'logsource:': '',
  '  category: process_creation': '',
  '  product: windows': 'title: Something else',
  'detection:': '',
  '  selection:': '',
  '    CommandLine|contains: " -enc "': '',
  '  condition: selection': '',
});

describe('the detection of a multi-document block', () => {
  it('is the outermost correlation: only it must agree with the frontmatter, and it carries the metadata', () => {
    const { detection } = parse(
      correlation.replace('title: Something else\n', '').replace(/---\n\n\n\n\n\n\n```/, '```'),
    );
    expect(detection.diagnostics.filter((d) => d.ruleId.startsWith('sigma/'))).toEqual([]);
    const merged = toSigmaRule(detection)!;
    expect(merged['correlation']).toBeDefined();
    expect(merged['title']).toBe('Encoded PowerShell');
    const all = toSigmaRules(detection);
    expect(all.map((r) => r['title'])).toEqual(['Failed logon', 'Encoded PowerShell']);
    expect(all[0]!['level']).toBe('low');
  });

  it('gives a base rule without title or id a title and a stable id, so every document is a complete rule', () => {
    const { detection } = parse(
      correlation
        .replace('title: Something else\n', '')
        .replace(/---\n\n\n\n\n\n\n```/, '```')
        .replace('title: Failed logon\n', ''),
    );
    const all = toSigmaRules(detection);
    expect(all[0]!['title']).toBe(`${detection.frontmatter!.title}: failed_logon`);
    expect(all[0]!['id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(toSigmaRules(detection)[0]!['id']).toBe(all[0]!['id']);
    expect(all[0]!['id']).not.toBe(detection.frontmatter!.id);
    expect(Object.keys(all[0]!).slice(0, 2)).toEqual(['title', 'id']);
  });
});
