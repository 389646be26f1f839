import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.ts';
import { run, workspace } from '../helpers/cli.ts';
import { corpus } from '../helpers/corpus.ts';

const GOOD = `title: Whoami Execution
id: 502b42de-4306-40b4-9596-6f590c81f073
status: test
description: Detects whoami.
references:
    - https://example.com/whoami
author: Ada, Bob
date: 2023-01-15
tags:
    - attack.discovery
    - attack.t1033
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\\whoami.exe'
    condition: selection
falsepositives:
    - Admin scripts
level: low
`;

const BAD = `title: Broken Rule
id: 6f1c2a9e-5b7d-4e3a-9c8b-1d2e3f4a5b6c
logsource:
    product: windows
detection:
    selection:
        Image|endwith: x
    condition: selection and nope
`;

const OUT = 'detections/windows/whoami-execution.md';

describe('loom import sigma', () => {
  it('creates, then leaves unchanged; the second import is byte-identical', async () => {
    const cwd = workspace({ 'rules/whoami.yml': GOOD });
    const first = await run(cwd, 'import', 'sigma', 'rules');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^created +detections\/windows\/whoami-execution\.md/m);
    expect(first.stdout).toContain('1 rules: 1 created, 0 unchanged');
    const text = readFileSync(join(cwd, OUT), 'utf8');
    expect(text).toContain('created: 2023-01-15');
    const second = await run(cwd, 'import', 'sigma', 'rules');
    expect(second.stdout).toMatch(/^unchanged +detections\/windows\/whoami-execution\.md/m);
    expect(readFileSync(join(cwd, OUT), 'utf8')).toBe(text);
    const check = await run(cwd, 'check', 'detections');
    expect(check.code).toBe(0);
  });

  it('never overwrites an edited document unless --force', async () => {
    const cwd = workspace({ 'rules/whoami.yml': GOOD });
    await run(cwd, 'import', 'sigma', 'rules/whoami.yml');
    const edited = readFileSync(join(cwd, OUT), 'utf8').replace(
      'TODO: Numbered steps',
      '1. Call the user.\n\nTODO: more',
    );
    writeFileSync(join(cwd, OUT), edited);
    writeFileSync(join(cwd, 'rules/whoami.yml'), GOOD.replace('level: low', 'level: medium'));
    const skipped = await run(cwd, 'import', 'sigma', 'rules');
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toMatch(/^skipped +detections\/windows\/whoami-execution\.md .*--force/m);
    expect(skipped.stdout).toContain('1 skipped');
    expect(readFileSync(join(cwd, OUT), 'utf8')).toBe(edited);
    const forced = await run(cwd, 'import', 'sigma', 'rules', '--force');
    expect(forced.stdout).toMatch(/^overwritten +detections/m);
    expect(readFileSync(join(cwd, OUT), 'utf8')).toContain('severity: medium');
  });

  it('updates an untouched earlier import when the rule changed', async () => {
    const cwd = workspace({ 'rules/whoami.yml': GOOD });
    await run(cwd, 'import', 'sigma', 'rules');
    writeFileSync(join(cwd, 'rules/whoami.yml'), GOOD.replace('level: low', 'level: high'));
    const again = await run(cwd, 'import', 'sigma', 'rules');
    expect(again.stdout).toMatch(/^updated +detections/m);
    expect(readFileSync(join(cwd, OUT), 'utf8')).toContain('severity: high');
  });

  it('does not overwrite a hand-written document of the same name', async () => {
    const cwd = workspace({ 'rules/whoami.yml': GOOD, [OUT]: '# mine\n' });
    const result = await run(cwd, 'import', 'sigma', 'rules');
    expect(result.stdout).toMatch(/^skipped/m);
    expect(readFileSync(join(cwd, OUT), 'utf8')).toBe('# mine\n');
  });

  it('reports invalid rules with positions, imports the rest, exits 1', async () => {
    const cwd = workspace({ 'rules/whoami.yml': GOOD, 'rules/bad.yml': BAD });
    const result = await run(cwd, 'import', 'sigma', 'rules', '--out', 'out', '--owner', 'soc');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^invalid +rules\/bad\.yml/m);
    expect(result.stdout).toContain('rules/bad.yml:7:15: error');
    expect(result.stdout).toContain('sigma/unknown-modifier');
    expect(result.stdout).toContain('rules/bad.yml:8:30: error');
    expect(result.stdout).toContain('1 created');
    expect(result.stdout).toContain('1 invalid');
    expect(readFileSync(join(cwd, 'out/windows/whoami-execution.md'), 'utf8')).toContain('owner: soc');
  });

  it.each([
    [['import'], /expected `sigma`/],
    [['import', 'yara', 'x'], /Unexpected `yara`, expected `sigma`/],
    [['import', 'sigma'], /expected Sigma files or folders/],
    [['import', 'sigma', 'missing'], /`missing`: no such file/],
    [['import', 'sigma', 'rules', '--bogus'], /bogus/],
  ])('usage error %j exits 2', async (args, message) => {
    const cwd = workspace({ 'rules/whoami.yml': GOOD });
    const result = await run(cwd, ...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('has a complete --help and a line in loom --help', async () => {
    const cwd = workspace();
    const help = await run(cwd, 'import', '--help');
    expect(help.code).toBe(0);
    for (const option of ['--out', '--force', '--owner', 'Exit codes']) expect(help.stdout).toContain(option);
    expect((await run(cwd, '--help')).stdout).toMatch(/^ {2}import +Import Sigma rules/m);
  });
});

const sigmahq = corpus('corpus/sigmahq');

describe.skipIf(!sigmahq.available)('loom import sigma of the SigmaHQ corpus (rules*)', () => {
  it(
    'imports all 3,780 rules; the documents check with no errors but the known ids',
    { timeout: 600_000 },
    async () => {
      const cwd = mkdtempSync(join(tmpdir(), 'loom-import-'));
      const dirs = readdirSync(sigmahq.path)
        .filter((n) => n.startsWith('rules'))
        .map((n) => join(sigmahq.path, n));
      const result = await run(cwd, 'import', 'sigma', ...dirs, '--out', 'detections');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('3780 rules: 3780 created');
      const catalog = loadCatalog(['detections'], { cwd });
      expect(catalog.detections.length).toBe(3780);
      const errors = catalog.diagnostics.filter((d) => d.severity === 'error');
      expect(errors).toEqual([]);
      const warnings = new Set(catalog.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.ruleId));
      expect(
        [...warnings].filter(
          (w) => w !== 'ads/todo-section' && w !== 'catalog/file-name' && w !== 'sigma/wildcard-instead-of-modifier',
        ),
      ).toEqual([]);
      const sample = readFileSync(
        join(cwd, 'detections/windows/suspicious-encoded-powershell-command-line.md'),
        'utf8',
      );
      expect(sample).toContain(
        'url: https://github.com/SigmaHQ/sigma/blob/master/rules/windows/process_creation/proc_creation_win_powershell_base64_encoded_cmd.yml',
      );
      expect(sample).toContain('license: DRL-1.1');
      expect(existsSync(join(cwd, 'detections/windows'))).toBe(true);
    },
  );
});
