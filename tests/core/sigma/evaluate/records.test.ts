import { describe, expect, it } from 'vitest';
import { JsonRecordScanner, splitJsonRecords, type RecordItem } from '../../../../src/core/events/records.ts';

const summary = (items: RecordItem[]): string[] =>
  items.map((i) =>
    i.ok ? `${i.index}@${i.line}:${JSON.stringify(i.value)}` : `${i.index}@${i.line}!${i.reason.split(':')[0]}`,
  );

describe('JSON record splitter', () => {
  const table: [string, string, string[]][] = [
    ['NDJSON', '{"a":1}\n{"b":2}\n', ['0@1:{"a":1}', '1@2:{"b":2}']],
    ['array', '[\n {"a":1},\n {"b":"]"}\n]', ['0@2:{"a":1}', '1@3:{"b":"]"}']],
    ['concatenated pretty objects', '{\n  "a": {"x": "}"}\n}\n{\n  "b": 2\n}', ['0@1:{"a":{"x":"}"}}', '1@4:{"b":2}']],
    ['evtx_dump framing', 'Record 1\n{"a":1}\nRecord 2\n{"b":2}', ['0@2:{"a":1}', '1@4:{"b":2}']],
    ['escaped quotes', '{"a":"x\\"}"}', ['0@1:{"a":"x\\"}"}']],
    ['cut-short line', '{"a":1\n{"b":2}\n', ['0@1!a record cut short', '1@2:{"b":2}']],
    ['garbage line', '{"a":1}\nnot json\n{"b":2}', ['0@1:{"a":1}', '1@2!text outside a JSON object', '2@3:{"b":2}']],
    [
      'invalid JSON inside braces',
      '{"a":}\n{"b":2}',
      ['0@1!Unexpected token \'}\', "{"a":}" is not valid JSON', '1@2:{"b":2}'],
    ],
    ['truncated file', '{"a":1}\n{"b":', ['0@1:{"a":1}', '1@2!a record cut short at the end of the input']],
  ];
  it.each(table)('%s', (_n, text, expected) => {
    const got = summary(splitJsonRecords(text));
    expect(got.map((g) => g.split(':')[0])).toEqual(expected.map((e) => e.split(':')[0]));
    expect(got.filter((g) => !g.includes('!'))).toEqual(expected.filter((e) => !e.includes('!')));
  });

  it('gives the same records whatever the chunk boundaries', () => {
    const text =
      'Record 1\n{\n  "a": "x\\"y",\n  "b": [1, {"c": "}"}]\n}\n{"d": 4}\n[oops\n{"e":5}\n' +
      '{"p": "C:\\\\", "q": "{\\u0041}"}\n{"broken": "line\nbreak"}\n{"after": "\\\\\\""}\n' +
      // Lines the NDJSON fast path takes (whole chunks) or declines (one-character chunks never hold a line).
      '{"x":1}{"y":2}\n{"z":"}"} ,\r\n  {"indented":1}\n{"bad":}\n{"n":[{"o":{}}]}\n';
    const whole = summary(splitJsonRecords(text));
    expect(whole.length).toBe(14);
    for (const size of [1, 2, 3, 7, 16, 64]) {
      const out: RecordItem[] = [];
      const scanner = new JsonRecordScanner((i) => out.push(i));
      for (let i = 0; i < text.length; i += size) scanner.feed(text.slice(i, i + size));
      scanner.end();
      expect(summary(out)).toEqual(whole);
    }
  });
});
