/**
 * The fast loader gives exactly js-yaml's values (core schema) for the YAML
 * it accepts, and declines (undefined) everything else, so js-yaml and the
 * `yaml` package keep deciding what is invalid.
 */
import fc from 'fast-check';
import jsyaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { loadSimpleYaml } from '../../../src/core/sigma/fast-yaml.ts';

/** js-yaml's documents without the empty ones (the parser drops those), or the error it throws. */
function reference(text: string): unknown[] | Error {
  try {
    return jsyaml.loadAll(text, undefined, { schema: jsyaml.CORE_SCHEMA }).filter((v) => v !== null && v !== undefined);
  } catch (error) {
    return error as Error;
  }
}

function fast(text: string): unknown[] | undefined {
  return loadSimpleYaml(text)?.filter((v) => v !== null && v !== undefined);
}

const ACCEPTED: [string, string][] = [
  ['a rule', "title: Test\nid: 1\nlogsource:\n  product: windows\ndetection:\n  sel:\n    Image|endswith: '.exe'\n"],
  [
    'typed plain scalars',
    'a: 1\nb: -2\nc: 0x1F\nd: 1.5\ne: .inf\nf: true\ng: False\nh: null\ni: ~\nj:\nk: 1e3\nl: 0o17\n',
  ],
  ['strings that look typed', 'a: \'1\'\nb: "true"\nc: truely\nd: 12ab\ne: nullable value\nf: 2024-01-01\n'],
  ['lists', 'a:\n  - x\n  - 2\n  -\n  - - y\n    - z\nb:\n- at the key indent\n- second\nc: after\n'],
  ['maps in lists', 'a:\n  - k: v\n    l: 2\n  -   m: wide\n      n: 3\n'],
  ['comments', '# head\na: b # tail\nc: "d # not a comment" # tail\ne: f#g\n# between\n\nh:\n  # inside\n  - i\n'],
  ['quotes', 'a: \'it\'\'s\'\nb: "C:\\\\Windows\\\\ \\"q\\" \\t\\x41\\u00e9"\n\'quoted key\': 1\n"dq key": 2\n'],
  ['literal blocks', 'a: |\n  line 1\n\n    indented\n  line 3\n\n\nb: |-\n  stripped\nc: | # comment\n  x\n'],
  ['several documents', 'a: 1\n---\nb: 2\n--- # c\n\n---\nc: 3\n'],
  ['a first separator', '# only a comment\n---\na: 1\n'],
  ['urls and colons', 'a: http://x.test/a:b\nb: C:\\Windows\\\nc: -flag\nd: ":"\n'],
  ['a list document', '- a\n- b: c\n'],
  ['Unicode spaces, which YAML does not trim', 'a: x\u00a0\nb: \u2003y\u3000 # c\n\u00a0k\u00a0: v\n'],
];

const DECLINED: [string, string][] = [
  ['flow collections', 'a: [1, 2]\n'],
  ['anchors and aliases', 'a: &x 1\nb: *x\n'],
  ['tags', 'a: !!str 1\n'],
  ['folded blocks', 'a: >\n  x\n  y\n'],
  ['keep chomping', 'a: |+\n  x\n\n'],
  ['multi-line plain scalars', 'a: one\n  two\n'],
  ['multi-line quoted scalars', "a: 'one\n  two'\n"],
  ['tabs', 'a:\tb\n'],
  ['carriage returns', 'a: b\r\n'],
  ['duplicate keys', 'a: 1\na: 2\n'],
  ['a scalar document', 'just text\n'],
  ['bad indentation', 'a:\n    b: 1\n  c: 2\n'],
  ['a map value on the key line', 'a: b: c\n'],
  ['unknown escapes', 'a: "\\q"\n'],
  ['directives', '%YAML 1.2\n---\na: 1\n'],
  ['document end markers', 'a: 1\n...\n'],
  ['numeric keys', '1: a\n'],
  ['merge keys', '<<: a\n'],
  ['an unterminated quote', "a: 'b\n"],
  ['text after a quote', "a: 'b' c\n"],
];

describe('loadSimpleYaml', () => {
  it.each(ACCEPTED)('reads %s as js-yaml does', (_name, text) => {
    const values = fast(text);
    expect(values).toBeDefined();
    expect(values).toStrictEqual(reference(text));
  });

  it.each(DECLINED)('declines %s', (_name, text) => {
    expect(loadSimpleYaml(text)).toBeUndefined();
  });

  it('agrees with js-yaml on generated YAML-like text, or declines it', () => {
    const token = fc.constantFrom(
      'a',
      'b',
      'Image|endswith',
      ':',
      ': ',
      '- ',
      '-',
      ' ',
      '  ',
      "'",
      "''",
      '"',
      '\\',
      '\\n',
      '#',
      ' #',
      '|',
      '|-',
      '>',
      '1',
      '0x1',
      '-2',
      '.5',
      'true',
      'Null',
      '~',
      '*',
      '&',
      '[',
      '{',
      ',',
      '---',
      '...',
      '%',
      '\t',
      'é',
      '\u00a0',
    );
    const line = fc.tuple(fc.nat({ max: 6 }), fc.array(token, { maxLength: 6 })).map(([indent, words]) => {
      return ' '.repeat(indent) + words.join('');
    });
    const text = fc.array(line, { maxLength: 10 }).map((lines) => lines.join('\n') + '\n');
    fc.assert(
      fc.property(text, (t) => {
        const values = fast(t);
        if (values === undefined) return;
        expect(values).toStrictEqual(reference(t));
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with js-yaml on generated rule-shaped YAML', () => {
    const scalar = fc.oneof(
      fc.constantFrom('x', 'C:\\Windows\\', '1', '-1', 'true', 'null', '', 'a: b', 'a #b', "it's", '"q"', '*.exe'),
      fc.string({ maxLength: 8 }),
    );
    const value = scalar.chain((s) => fc.constantFrom(s, `'${s.replace(/'/g, "''")}'`, JSON.stringify(s)));
    const entry = fc.tuple(
      fc.constantFrom('sel', 'filter', 'CommandLine|contains', 'Image'),
      fc.array(value, { maxLength: 3 }),
    );
    const text = fc
      .array(entry, { maxLength: 4 })
      .map(
        (entries) =>
          'detection:\n' +
          entries
            .map(([key, values], i) =>
              values.length === 1
                ? `  ${key}${i}: ${values[0]}`
                : `  ${key}${i}:\n` + values.map((v) => `    - ${v}`).join('\n'),
            )
            .join('\n') +
          '\n  condition: |\n    sel0\n',
      );
    fc.assert(
      fc.property(text, (t) => {
        const values = fast(t);
        if (values === undefined) return;
        expect(values).toStrictEqual(reference(t));
      }),
      { numRuns: 2000 },
    );
  });
});
