/**
 * Every validator as a table: valid snippets give nothing from it, invalid
 * ones give its id at the line and column of the offending key or value.
 */
import { describe, expect, it } from 'vitest';
import { parseSigmaBlock } from '../../../src/core/sigma/parse.ts';
import {
  validateSigmaCatalog,
  validateSigmaDocuments,
  type SigmaValidationContext,
} from '../../../src/core/sigma/validate.ts';
import { DOCUMENT_VALIDATORS, CATALOG_VALIDATORS } from '../../../src/core/sigma/validators/index.ts';
import { wholeFile } from '../../../src/core/text/source.ts';

/** A rule with `detection` lines replaced; line 6 is the first detection line. */
function rule(detection: string, extra = ''): string {
  return `title: Test rule\nlogsource:\n    product: windows\n    category: process_creation\ndetection:\n${detection
    .split('\n')
    .map((l) => '    ' + l)
    .join('\n')}\n${extra}`;
}

function check(text: string, context: SigmaValidationContext = {}) {
  const parsed = parseSigmaBlock(wholeFile(text));
  return [...parsed.diagnostics, ...validateSigmaDocuments(parsed.documents, context)];
}

interface Case {
  code: string;
  errors?: { line: number; column: number; severity?: 'error' | 'warning'; expected?: string[] }[];
  context?: SigmaValidationContext;
}

const cases: Record<string, { valid: Case[]; invalid: Case[] }> = {
  'sigma/unknown-modifier': {
    valid: [{ code: rule('sel:\n    Image|endswith: x\ncondition: sel') }],
    invalid: [
      {
        code: rule('sel:\n    Image|endswth: x\ncondition: sel'),
        errors: [{ line: 7, column: 15, expected: ['endswith'] }],
      },
      {
        code: rule('sel:\n    CommandLine|contians|all: [a, b]\ncondition: sel'),
        errors: [{ line: 7, column: 21, expected: ['contains'] }],
      },
    ],
  },
  'sigma/invalid-modifier-combination': {
    valid: [
      {
        code: rule(
          "sel:\n    A|base64offset|contains: x\n    B|re|i: '^a'\n    C|wide|base64offset|contains: y\ncondition: sel",
        ),
      },
    ],
    invalid: [
      { code: rule('sel:\n    A|contains|endswith: x\ncondition: sel'), errors: [{ line: 7, column: 20 }] },
      { code: rule('sel:\n    A|i: x\ncondition: sel'), errors: [{ line: 7, column: 11 }] },
      { code: rule('sel:\n    A|contains|base64: x\ncondition: sel'), errors: [{ line: 7, column: 11 }] },
      { code: rule('sel:\n    A|exists|contains: true\ncondition: sel'), errors: [{ line: 7, column: 18 }] },
      { code: rule('sel:\n    A|contains|contains: x\ncondition: sel'), errors: [{ line: 7, column: 20 }] },
    ],
  },
  'sigma/invalid-modifier-value': {
    valid: [
      {
        code: rule(
          "sel:\n    A|exists: true\n    B|gte: 5\n    C|cidr: '10.0.0.0/8'\n    D|cidr: 'fe80::/10'\n    E|expand: '%Servers%'\ncondition: sel",
        ),
      },
    ],
    invalid: [
      { code: rule('sel:\n    A|exists: yes\ncondition: sel'), errors: [{ line: 7, column: 19 }] },
      { code: rule('sel:\n    A|gt: many\ncondition: sel'), errors: [{ line: 7, column: 15 }] },
      { code: rule('sel:\n    A|cidr: 10.0.0.300/8\ncondition: sel'), errors: [{ line: 7, column: 17 }] },
      {
        code: rule('sel:\n    A|expand: plain\ncondition: sel'),
        errors: [{ line: 7, column: 19, severity: 'warning' }],
      },
    ],
  },
  'sigma/all-with-single-value': {
    valid: [{ code: rule('sel:\n    A|contains|all:\n        - a\n        - b\ncondition: sel') }],
    invalid: [{ code: rule('sel:\n    A|contains|all: a\ncondition: sel'), errors: [{ line: 7, column: 20 }] }],
  },
  'sigma/wildcard-instead-of-modifier': {
    valid: [{ code: rule("sel:\n    A: 'a*b'\n    B: ['*a', 'b']\ncondition: sel") }],
    invalid: [
      {
        code: rule("sel:\n    A: '*evil*'\ncondition: sel"),
        errors: [{ line: 7, column: 9, severity: 'warning', expected: ['A|contains'] }],
      },
      {
        code: rule("sel:\n    A:\n        - '*\\\\a.exe'\n        - '*\\\\b.exe'\ncondition: sel"),
        errors: [{ line: 7, column: 9, severity: 'warning', expected: ['A|endswith'] }],
      },
    ],
  },
  'sigma/condition-syntax': {
    valid: [{ code: rule('sel_a:\n    A: 1\nsel_b:\n    B: 1\ncondition: 1 of sel_* and not (all of them)') }],
    invalid: [
      { code: rule('sel:\n    A: 1\ncondition: sel | count() by B > 5'), errors: [{ line: 8, column: 20 }] },
      { code: rule('sel:\n    A: 1\ncondition: sel and'), errors: [{ line: 8, column: 23 }] },
      { code: rule('sel:\n    A: 1\ncondition: sel AND sel'), errors: [{ line: 8, column: 20, expected: ['and'] }] },
      { code: rule('sel:\n    A: 1\ncondition: 2 of sel'), errors: [{ line: 8, column: 16 }] },
      { code: rule('sel:\n    A: 1\ncondition: sel*'), errors: [{ line: 8, column: 16 }] },
      { code: rule('sel:\n    A: 1'), errors: [{ line: 5, column: 1 }] },
    ],
  },
  'sigma/undefined-identifier': {
    valid: [{ code: rule('selection:\n    A: 1\ncondition: selection') }],
    invalid: [
      {
        code: rule('selection:\n    A: 1\ncondition: selectoin'),
        errors: [{ line: 8, column: 16, expected: ['selection'] }],
      },
      { code: rule('selection:\n    A: 1\ncondition: 1 of filter_*'), errors: [{ line: 8, column: 16 }] },
    ],
  },
  'sigma/unused-identifier': {
    valid: [{ code: rule('sel:\n    A: 1\n_hidden:\n    B: 1\ncondition: sel and not _hidden') }],
    invalid: [
      {
        code: rule('sel:\n    A: 1\nfilter:\n    B: 1\ncondition: sel'),
        errors: [{ line: 8, column: 5, severity: 'warning' }],
      },
    ],
  },
  'sigma/invalid-regex': {
    valid: [{ code: rule("sel:\n    A|re: '(?i)^a[bc]+\\d{2}$'\ncondition: sel") }],
    invalid: [
      { code: rule("sel:\n    A|re: 'a(b'\ncondition: sel"), errors: [{ line: 7, column: 15 }] },
      {
        code: rule("sel:\n    A|re: 'a(?=b)'\ncondition: sel"),
        errors: [{ line: 7, column: 15, severity: 'warning' }],
      },
    ],
  },
  'sigma/invalid-status': {
    valid: [{ code: rule('sel:\n    A: 1\ncondition: sel', 'status: test\n') }],
    invalid: [
      {
        code: rule('sel:\n    A: 1\ncondition: sel', 'status: stabel\n'),
        errors: [{ line: 9, column: 9, expected: ['stable'] }],
      },
    ],
  },
  'sigma/invalid-level': {
    valid: [{ code: rule('sel:\n    A: 1\ncondition: sel', 'level: high\n') }],
    invalid: [
      {
        code: rule('sel:\n    A: 1\ncondition: sel', 'level: hihg\n'),
        errors: [{ line: 9, column: 8, expected: ['high'] }],
      },
    ],
  },
  'sigma/invalid-date': {
    valid: [{ code: rule('sel:\n    A: 1\ncondition: sel', "date: 2024-02-29\nmodified: '2024-03-01'\n") }],
    invalid: [
      {
        code: rule('sel:\n    A: 1\ncondition: sel', 'date: 2023/02/01\n'),
        errors: [{ line: 9, column: 7, expected: ['2023-02-01'] }],
      },
      { code: rule('sel:\n    A: 1\ncondition: sel', 'date: 2023-02-30\n'), errors: [{ line: 9, column: 7 }] },
      {
        code: rule('sel:\n    A: 1\ncondition: sel', 'date: 2023-02-03\nmodified: 2023-01-01\n'),
        errors: [{ line: 10, column: 11, severity: 'warning' }],
      },
    ],
  },
  'sigma/invalid-attack-tag': {
    valid: [
      {
        code: rule(
          'sel:\n    A: 1\ncondition: sel',
          'tags:\n    - attack.t1059.001\n    - attack.execution\n    - attack.g0016\n    - attack.stealth\n',
        ),
      },
    ],
    invalid: [
      {
        code: rule('sel:\n    A: 1\ncondition: sel', 'tags:\n    - attack.T1059\n'),
        errors: [{ line: 10, column: 7, expected: ['attack.t1059'] }],
      },
      {
        code: rule('sel:\n    A: 1\ncondition: sel', 'tags:\n    - attack.exection\n'),
        errors: [{ line: 10, column: 7, expected: ['attack.execution'] }],
      },
      { code: rule('sel:\n    A: 1\ncondition: sel', 'tags:\n    - attack.t105\n'), errors: [{ line: 10, column: 7 }] },
    ],
  },
  'sigma/invalid-tag': {
    valid: [
      { code: rule('sel:\n    A: 1\ncondition: sel', 'tags:\n    - cve.2021-44228\n    - detection.threat-hunting\n') },
    ],
    invalid: [
      {
        code: rule('sel:\n    A: 1\ncondition: sel', 'tags:\n    - My Tag\n'),
        errors: [{ line: 10, column: 7, severity: 'warning' }],
      },
    ],
  },
  'sigma/missing-logsource': {
    valid: [{ code: rule('sel:\n    A: 1\ncondition: sel') }],
    invalid: [
      {
        code: 'title: x\nlogsource:\n    definition: something\ndetection:\n    sel: {A: 1}\n    condition: sel\n',
        errors: [{ line: 2, column: 1 }],
      },
    ],
  },
  'sigma/missing-field': {
    valid: [{ code: rule('sel:\n    A: 1\ncondition: sel') }],
    invalid: [{ code: 'title: x\nlogsource:\n    product: windows\n', errors: [{ line: 1, column: 1 }] }],
  },
  'sigma/unknown-key': {
    valid: [{ code: rule('sel:\n    A: 1\ncondition: sel', 'custom_field: 1\n') }],
    invalid: [
      {
        code: rule('sel:\n    A: 1\ncondition: sel', 'falsepositive:\n    - none\n'),
        errors: [{ line: 9, column: 1, severity: 'warning', expected: ['falsepositives'] }],
      },
    ],
  },
  'sigma/invalid-correlation': {
    valid: [
      {
        code: 'title: c\ncorrelation:\n    type: event_count\n    rules: [a]\n    group-by: [User]\n    timespan: 5m\n    condition:\n        gte: 10\n',
      },
    ],
    invalid: [
      {
        code: 'title: c\ncorrelation:\n    type: event_count\n    rules: [a]\n    group-by: [User]\n    timespan: 5 minutes\n    condition:\n        gte: 10\n',
        errors: [{ line: 6, column: 15 }],
      },
      {
        code: 'title: c\ncorrelation:\n    type: value_count\n    rules: [a]\n    group-by: [User]\n    timespan: 5m\n    condition:\n        gte: 10\n',
        errors: [{ line: 8, column: 9 }],
      },
      {
        code: 'title: c\ncorrelation:\n    type: event_count\n    rules: [a]\n    group-by: [User]\n    timespan: 5m\n    condition:\n        more: 10\n',
        errors: [
          { line: 8, column: 9 },
          { line: 8, column: 9 },
        ],
      },
    ],
  },
  'sigma/frontmatter-mismatch': {
    valid: [
      {
        code: rule('sel:\n    A: 1\ncondition: sel', 'level: high\n'),
        context: { frontmatter: { title: 'Test rule', severity: 'high' } },
      },
    ],
    invalid: [
      {
        code: rule('sel:\n    A: 1\ncondition: sel', 'level: low\n'),
        context: { frontmatter: { title: 'Test rule', severity: 'high' } },
        errors: [{ line: 9, column: 8, expected: ['high'] }],
      },
      {
        code: rule('sel:\n    A: 1\ncondition: sel', 'tags:\n    - attack.t1059\n'),
        context: { frontmatter: { attack: ['T1003'] } },
        errors: [{ line: 10, column: 7, severity: 'warning' }],
      },
    ],
  },
};

describe('Sigma validators', () => {
  it('has a table for every document validator', () => {
    expect(Object.keys(cases).sort()).toEqual(DOCUMENT_VALIDATORS.map((v) => v.id).sort());
  });

  for (const [id, { valid, invalid }] of Object.entries(cases)) {
    describe(id, () => {
      it.each(valid.map((c, i) => [i, c] as const))('valid %i', (_i, c) => {
        expect(check(c.code, c.context).filter((d) => d.ruleId === id)).toEqual([]);
      });
      it.each(invalid.map((c, i) => [i, c] as const))('invalid %i', (_i, c) => {
        const found = check(c.code, c.context).filter((d) => d.ruleId === id);
        expect(
          found.map((d) => ({
            line: d.place?.start.line,
            column: d.place?.start.column,
            ...(c.errors!.some((e) => e.severity) ? { severity: d.severity } : {}),
            ...(c.errors!.some((e) => e.expected) ? { expected: d.expected } : {}),
          })),
        ).toEqual(c.errors!.map((e) => ({ ...e })));
        for (const d of found) expect(d.message).toMatch(/^Unexpected /);
      });
    });
  }
});

describe('Sigma catalog validators', () => {
  const base = parseSigmaBlock(
    wholeFile(rule('sel:\n    A: 1\ncondition: sel', 'id: 5638f7c0-ac70-491d-8465-2a65075e0d86\nname: base_rule\n')),
  ).documents;
  const again = parseSigmaBlock(
    wholeFile(rule('sel:\n    A: 1\ncondition: sel', 'id: 5638f7c0-ac70-491d-8465-2a65075e0d86\n')),
  ).documents;
  const correlation = parseSigmaBlock(
    wholeFile(
      'title: c\ncorrelation:\n    type: temporal\n    rules:\n        - base_rule\n        - base_rul\n    group-by: [U]\n    timespan: 5m\n',
    ),
  ).documents;

  it('lists its validators', () => {
    expect(CATALOG_VALIDATORS.map((v) => v.id)).toEqual([
      'sigma/duplicate-id',
      'sigma/duplicate-title',
      'sigma/unknown-correlation-rule',
    ]);
  });

  it.each([
    ['sigma/duplicate-id', [{ file: 'b.yml', line: 9 }]],
    ['sigma/duplicate-title', [{ file: 'b.yml', line: 1 }]],
    ['sigma/unknown-correlation-rule', [{ file: 'c.yml', line: 6 }]],
  ])('%s', (id, expected) => {
    const found = validateSigmaCatalog([
      { file: 'a.yml', documents: base },
      { file: 'b.yml', documents: again },
      { file: 'c.yml', documents: correlation },
    ]).filter((d) => d.ruleId === id);
    expect(found.map((d) => ({ file: d.file, line: d.place?.start.line }))).toEqual(expected);
  });

  it('suggests the near rule name', () => {
    const [found] = validateSigmaCatalog([{ file: 'a.yml', documents: [...base, ...correlation] }]).filter(
      (d) => d.ruleId === 'sigma/unknown-correlation-rule',
    );
    expect(found?.expected).toEqual(['base_rule']);
  });
});
