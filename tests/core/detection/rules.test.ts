import { describe, expect, it } from 'vitest';
import { parse, validDocument } from '../../helpers/documents.ts';

/** What a diagnostic must be: the rule id and its place, not the prose. */
interface Expected {
  ruleId: string;
  line: number;
  column?: number;
  severity?: 'error' | 'warning';
}

const invalid: { name: string; markdown: string; errors: Expected[] }[] = [
  {
    name: 'status typo',
    markdown: validDocument({ 'status: stable': 'status: stabel' }),
    errors: [{ ruleId: 'frontmatter/invalid-status', line: 4, column: 9, severity: 'error' }],
  },
  {
    name: 'unknown frontmatter key',
    markdown: validDocument({ 'owner: soc': 'owner: soc\nsevrity: low' }),
    errors: [{ ruleId: 'frontmatter/unknown-key', line: 7, column: 1, severity: 'warning' }],
  },
  {
    name: 'missing required field',
    markdown: validDocument({ 'owner: soc': '' }),
    errors: [{ ruleId: 'frontmatter/missing-field', line: 1, severity: 'error' }],
  },
  {
    name: 'invalid technique id',
    markdown: validDocument({ 'attack: [T1059.001]': 'attack: [T1059.1]' }),
    errors: [{ ruleId: 'frontmatter/invalid-attack', line: 9, column: 10 }],
  },
  {
    name: 'not a calendar date',
    markdown: validDocument({ 'created: 2026-01-15': 'created: 2026-02-30' }),
    errors: [{ ruleId: 'frontmatter/invalid-created', line: 8, column: 10 }],
  },
  {
    name: 'frontmatter is not YAML',
    markdown: validDocument({ 'owner: soc': 'owner: [soc' }),
    errors: [{ ruleId: 'frontmatter/invalid-yaml', line: 7 }],
  },
  {
    name: 'frontmatter is a list',
    markdown: '---\n- a\n- b\n---\n\n# T\n',
    errors: [{ ruleId: 'frontmatter/not-a-mapping', line: 1, column: 1 }],
  },
  {
    name: 'no frontmatter',
    markdown: '# Title\n\n## Goal\n\nx\n',
    errors: [{ ruleId: 'frontmatter/missing', line: 1, column: 1 }],
  },
  {
    name: 'missing required section for stable',
    markdown: validDocument({ '## Response': '## Notes' }),
    errors: [
      { ruleId: 'ads/missing-section', line: 70, severity: 'error' },
      { ruleId: 'ads/unknown-section', line: 64, column: 1, severity: 'warning' },
    ],
  },
  {
    name: 'section heading typo suggests the section',
    markdown: validDocument({ '## Priority': '## Priorty' }),
    errors: [{ ruleId: 'ads/unknown-section', line: 60, column: 1 }],
  },
  {
    name: 'a heading named like an Object.prototype member is just unknown',
    markdown: validDocument({ '## Priority': '## Priority\n\nHigh.\n\n## Constructor' }),
    errors: [{ ruleId: 'ads/unknown-section', line: 64, column: 1, severity: 'warning' }],
  },
  {
    name: 'to-do section',
    markdown: validDocument({ 'High.': 'TODO: say why' }),
    errors: [{ ruleId: 'ads/todo-section', line: 60, severity: 'warning' }],
  },
  {
    name: 'invalid JSON sample points inside the block',
    markdown: validDocument({
      '{"CommandLine": "powershell -enc SQBFAFgA"}': '{"CommandLine": "powershell -enc SQBFAFgA",}',
    }),
    errors: [{ ruleId: 'block/invalid-json', line: 53, column: 44 }],
  },
  {
    name: 'sample that is not an object',
    markdown: validDocument({ '{"CommandLine": "powershell -enc SQBFAFgA"}': '[1, {"a": 2}]' }),
    errors: [{ ruleId: 'block/invalid-sample', line: 53, column: 2 }],
  },
  {
    name: 'expect typo',
    markdown: validDocument({ '```json expect=no-match': '```json expect=nomatch' }),
    errors: [{ ruleId: 'block/invalid-expect', line: 56, column: 1 }],
  },
  {
    name: 'json block in Validation without expect',
    markdown: validDocument({ '```json expect=no-match': '```json' }),
    errors: [{ ruleId: 'block/missing-expect', line: 56, column: 1 }],
  },
  {
    name: 'sigma YAML that does not parse, positioned inside the block',
    markdown: validDocument({ '    CommandLine|contains: " -enc "': '    CommandLine|contains: [" -enc "' }),
    errors: [{ ruleId: 'sigma/invalid-yaml', line: 35 }],
  },
  {
    name: 'no sigma block for a stable detection',
    markdown: validDocument({ '```sigma': '```yaml' }),
    errors: [{ ruleId: 'block/missing-sigma', line: 26, severity: 'error' }],
  },
  {
    name: 'unterminated fence',
    markdown: validDocument().replace(/```\n\n## Priority[\s\S]*$/, ''),
    errors: [{ ruleId: 'block/unterminated-fence', line: 56, column: 1, severity: 'error' }],
  },
];

describe('document rules', () => {
  it('a complete detection is clean', () => {
    const { detection } = parse(validDocument());
    expect(detection.diagnostics).toEqual([]);
    expect(detection.frontmatter?.status).toBe('stable');
    expect(detection.sections.map((s) => s.key)).toEqual([
      'goal',
      'categorization',
      'strategy-abstract',
      'technical-context',
      'blind-spots-and-assumptions',
      'false-positives',
      'validation',
      'priority',
      'response',
      'additional-resources',
    ]);
    expect(detection.blocks.map((b) => b.kind)).toEqual(['sigma', 'query', 'sample', 'sample']);
  });

  it.each(invalid)('$name', ({ markdown, errors }) => {
    const { detection } = parse(markdown);
    for (const want of errors) {
      const found = detection.diagnostics.find(
        (d) =>
          d.ruleId === want.ruleId &&
          d.place?.start.line === want.line &&
          (want.column === undefined || d.place?.start.column === want.column),
      );
      expect(
        found,
        `${want.ruleId} at ${want.line}:${want.column ?? '*'} in ${JSON.stringify(detection.diagnostics.map((d) => [d.ruleId, d.place?.start]))}`,
      ).toBeDefined();
      if (want.severity) expect(found!.severity).toBe(want.severity);
    }
  });

  it('suggests the near name in the message', () => {
    const status = parse(validDocument({ 'status: stable': 'status: stabel' })).detection.diagnostics[0]!;
    expect(status.expected).toEqual(['stable']);
    const section = parse(validDocument({ '## Priority': '## Priorty' })).detection.diagnostics.find(
      (d) => d.ruleId === 'ads/unknown-section',
    )!;
    expect(section.expected).toEqual(['Priority']);
  });
});

describe('sections', () => {
  it('accepts aliases, H1 headings and Priority before Validation', () => {
    const markdown = validDocument({
      '## Strategy Abstract': '# Strategy',
      '## Goal': '# Goal',
      '## Categorization': '# Categorization',
      '## Technical Context': '# Technical Context',
      '## Blind Spots and Assumptions': '# Blind Spots',
      '## False Positives': '# False Positives',
      '## Validation': '# Priority\n\nHigh.\n\n# Validation',
      '## Priority': '# Response',
      'High.': '1. Isolate.',
      '## Response': '# Additional Resources',
      '## Additional Resources': '',
      '# Encoded PowerShell': '',
    });
    const { detection } = parse(markdown);
    expect(detection.diagnostics.filter((d) => d.ruleId.startsWith('ads/'))).toEqual([]);
    expect(detection.sections.map((s) => s.key)).toContain('priority');
    expect(detection.sections.every((s) => s.depth === 1)).toBe(true);
  });

  it('reads sample events with their positions', () => {
    const { detection } = parse(validDocument());
    const samples = detection.blocks.filter((b) => b.kind === 'sample');
    expect(samples.map((s) => [s.expect, s.name, s.events.length])).toEqual([
      ['match', 'encoded', 1],
      ['no-match', 'no-match sample at line 56', 2],
    ]);
    expect(samples[1]!.events[1]!.range.start).toMatchObject({ line: 57, column: 45 });
  });

  it('reads NDJSON samples', () => {
    const markdown = validDocument({
      '[{"CommandLine": "powershell -File x.ps1"}, {"CommandLine": "cmd"}]': '{"a": 1}\n{"a": 2}\n{"a": 3}',
    });
    const sample = parse(markdown).detection.blocks.filter((b) => b.kind === 'sample')[1]!;
    expect(sample.kind === 'sample' && sample.events.map((e) => [e.value['a'], e.range.start.line])).toEqual([
      [1, 57],
      [2, 58],
      [3, 59],
    ]);
  });

  it('maps block positions to the file, also for indented fences', () => {
    const markdown = validDocument({
      '## Validation': '## Validation\n\n- a list item:\n\n  ```json expect=match\n  {"x": 1,}\n  ```',
    });
    const d = parse(markdown).detection.diagnostics.find((x) => x.ruleId === 'block/invalid-json')!;
    expect(d.place?.start).toMatchObject({ line: 55, column: 11 });
  });
});
