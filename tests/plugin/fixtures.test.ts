/**
 * Whole-document fixtures: `tests/fixtures/doc-<case>/input.md` beside
 * `expected.txt`, the diagnostics the plugin reports for it, one per line.
 * A missing expectation is written on the first run (outside CI); `UPDATE=1`
 * rewrites them, so reviewers read diffs of real output.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../helpers/documents.ts';

const root = join(import.meta.dirname, '..', 'fixtures');
const cases = readdirSync(root).filter((name) => name.startsWith('doc-') && existsSync(join(root, name, 'input.md')));

describe('remark-detection fixtures', () => {
  it('has fixtures', () => expect(cases.length).toBeGreaterThan(3));

  it.each(cases)('%s', (name) => {
    const input = readFileSync(join(root, name, 'input.md'), 'utf8');
    const { file } = parse(input, `${name}/input.md`);
    const actual =
      file.messages
        .map(
          (m) =>
            `${m.line}:${m.column} ${m.fatal ? 'error' : m.fatal === false ? 'warning' : 'info'} ${m.reason}  ${m.source}:${m.ruleId}`,
        )
        .join('\n') + '\n';
    const expectedPath = join(root, name, 'expected.txt');
    if (process.env['UPDATE'] || (!existsSync(expectedPath) && !process.env['CI'])) writeFileSync(expectedPath, actual);
    expect(existsSync(expectedPath), `${expectedPath} is missing: run the tests once locally to write it`).toBe(true);
    expect(actual).toBe(readFileSync(expectedPath, 'utf8'));
  });
});
