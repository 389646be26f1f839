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
});
