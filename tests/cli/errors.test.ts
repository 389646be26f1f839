import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { run, workspace } from '../helpers/cli.ts';
import { validDocument } from '../helpers/documents.ts';

/** A catalog of one valid detection, with a Sigma rule and samples. */
function catalog(): string {
  return workspace({ 'detections/windows/a.md': validDocument() });
}

describe('files the CLI cannot write', () => {
  it.each([
    ['check', ['detections']],
    ['test', ['detections']],
    ['hunt', ['-r', 'detections', '-e', 'events.ndjson']],
  ])('`loom %s --out` names the problem before any work, and exits 2', async (command, args) => {
    const cwd = catalog();
    writeFileSync(join(cwd, 'events.ndjson'), '{"EventID": 1}\n');
    mkdirSync(join(cwd, 'reports'));
    const folder = await run(cwd, command, ...args, '--out', 'reports');
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain('Unexpected --out `reports`: it is a folder, expected a file');
    const missing = await run(cwd, command, ...args, '--out', 'nowhere/report.txt');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Unexpected --out `nowhere/report.txt`: its folder does not exist');
    const fine = await run(cwd, command, ...args, '--out', 'reports/report.txt');
    expect(fine.code).not.toBe(2);
  });

  it('`loom bundle --out` never empties a file or a folder of other files', async () => {
    const cwd = catalog();
    writeFileSync(join(cwd, 'notes.txt'), 'mine');
    mkdirSync(join(cwd, 'papers'));
    writeFileSync(join(cwd, 'papers', 'draft.md'), 'mine too');
    const file = await run(cwd, 'bundle', 'detections', '--out', 'notes.txt');
    expect(file.code).toBe(2);
    expect(file.stderr).toContain('Unexpected --out `notes.txt`: it is a file, expected a folder');
    const folder = await run(cwd, 'bundle', 'detections', '--out', 'papers');
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain('Unexpected --out `papers`: it holds files that are not a bundle');
    expect(readFileSync(join(cwd, 'notes.txt'), 'utf8')).toBe('mine');
    expect(readFileSync(join(cwd, 'papers', 'draft.md'), 'utf8')).toBe('mine too');
    // A new folder, then the same folder again (an earlier bundle is replaced).
    expect((await run(cwd, 'bundle', 'detections', '--out', 'out')).code).toBe(0);
    expect((await run(cwd, 'bundle', 'detections', '--out', 'out')).code).toBe(0);
    expect(JSON.parse(readFileSync(join(cwd, 'out', 'rules.json'), 'utf8'))).toHaveProperty('detections');
  });

  it('`loom build --out` a file is refused before any work', async () => {
    const cwd = catalog();
    writeFileSync(join(cwd, 'site.txt'), 'mine');
    const result = await run(cwd, 'build', 'detections', '--out', 'site.txt');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'loom build: Unexpected --out `site.txt`: it is a file, expected a folder\nRun `loom build --help` for usage.\n',
    );
    expect(readFileSync(join(cwd, 'site.txt'), 'utf8')).toBe('mine');
    // The same folder named by LOOM_OUT instead of --out: the message names it.
    let stderr = '';
    const code = await main(['build', 'detections'], {
      cwd,
      isTTY: false,
      env: { LOOM_OUT: 'site.txt' },
      stdout: () => {},
      stderr: (t) => (stderr += t),
    });
    expect(code).toBe(2);
    expect(stderr).toContain('Unexpected --out `site.txt`: it is a file, expected a folder');
  });

  it('reports any other file the system refuses by its path and reason, without a stack trace', async () => {
    // `detections` is a file, so `loom new` cannot make its platform folder in it.
    const cwd = workspace({ detections: 'not a folder' });
    const result = await run(cwd, 'new', 'A new rule');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^loom new: cannot mkdir `.*detections[/\\]windows`: a part of the path is not a folder\n$/,
    );
  });
});
