import { describe, expect, it } from 'vitest';
import { run, workspace } from '../helpers/cli.ts';
import { validDocument } from '../helpers/documents.ts';

const path = 'detections/windows/encoded-powershell.md';
const MATCH = '{"CommandLine": "powershell -enc SQBFAFgA"}';

describe('loom test', () => {
  it('passes a detection whose samples behave, and exits 0', async () => {
    const result = await run(workspace({ [path]: validDocument() }), 'test');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/(\d+)\/\1 samples passed in 1 detection/);
  });

  it('reads the catalog folder from the "loom" entry of package.json when no path is given', async () => {
    const cwd = workspace({
      'package.json': JSON.stringify({ name: 'x', loom: { detections: 'catalog' } }),
      'catalog/windows/encoded-powershell.md': validDocument(),
    });
    const result = await run(cwd, 'test');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/samples passed in 1 detection/);
    const bad = workspace({ 'package.json': JSON.stringify({ name: 'x', loom: { detections: 3 } }) });
    const failed = await run(bad, 'test');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('loom.detections');
  });

  it('reports a match sample that does not match at the event line, and exits 1', async () => {
    const doc = validDocument({ [MATCH]: '{"CommandLine": "powershell -nop"}' });
    const line = doc.split('\n').indexOf('{"CommandLine": "powershell -nop"}') + 1;
    const result = await run(workspace({ [path]: doc }), 'test');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${path}:${line}:1: error Unexpected no match for sample \`encoded\``);
    expect(result.stdout).toContain('test/no-match');
  });

  it('reports a no-match sample that matches', async () => {
    const doc = validDocument();
    const noMatch = doc.split('\n').find((l, i, all) => all[i - 1]?.includes('expect=no-match'))!;
    const result = await run(workspace({ [path]: doc.replace(noMatch, MATCH) }), 'test');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('test/unexpected-match');
  });

  it('requires a sample of each kind for stable, unless told otherwise', async () => {
    const doc = validDocument();
    const lines = doc.split('\n');
    const at = lines.findIndex((l) => l.includes('expect=no-match'));
    const without = [...lines.slice(0, at), ...lines.slice(at + 3)].join('\n');
    const result = await run(workspace({ [path]: without }), 'test');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('test/missing-sample');
    expect((await run(workspace({ [path]: without }), 'test', '--require-samples', 'none')).code).toBe(0);
    expect((await run(workspace({ [path]: without }), 'test', '--require-samples', 'test')).code).toBe(0);
    expect((await run(workspace({ [path]: without }), 'test', '--require-samples', 'stable, test')).code).toBe(1);
    // A misspelt status is an error, not a requirement quietly turned off.
    const typo = await run(workspace({ [path]: without }), 'test', '--require-samples', 'stabel');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('Unexpected --require-samples `stabel`, expected statuses among');
  });

  it('writes JUnit XML and JSON', async () => {
    const cwd = workspace({ [path]: validDocument({ [MATCH]: '{"CommandLine": "nothing"}' }) });
    const junit = await run(cwd, 'test', '--format', 'junit');
    expect(junit.stdout).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="loom test" tests="\d+" failures="1"/,
    );
    expect(junit.stdout).toContain('<failure message="Unexpected no match for sample `encoded`');
    const json = JSON.parse((await run(cwd, 'test', '--format', 'json')).stdout) as { summary: { failed: number } };
    expect(json.summary.failed).toBe(1);
  });

  it('exits 2 on usage errors and empty paths', async () => {
    const cwd = workspace({ 'empty/readme.txt': 'x' });
    expect((await run(cwd, 'test', '--format', 'xml')).code).toBe(2);
    expect((await run(cwd, 'test', 'missing')).code).toBe(2);
    expect((await run(cwd, 'test', 'empty')).code).toBe(2);
  });
});
