import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type AjvDraft04 from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { run, workspace } from '../helpers/cli.ts';
import { validDocument } from '../helpers/documents.ts';

const good = validDocument();
const path = 'detections/windows/encoded-powershell.md';
const bad = validDocument({ 'status: stable': 'status: stabel' });

describe('loom check', () => {
  it('exits 0 on a clean catalog and says so', async () => {
    const cwd = workspace({ [path]: good });
    const result = await run(cwd, 'check');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/1 file checked in [\d.]+ s: no problems/);
  });

  it('checks the catalog folder named by the "loom" entry of package.json when no path is given', async () => {
    const cwd = workspace({
      'package.json': JSON.stringify({ name: 'x', loom: { detections: 'catalog' } }),
      'catalog/windows/encoded-powershell.md': bad,
      [path]: good,
    });
    const result = await run(cwd, 'check');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('catalog/windows/encoded-powershell.md:');
  });

  it('exits 1 on errors, with path:line:col: severity message  rule-id', async () => {
    const cwd = workspace({ [path]: bad });
    const result = await run(cwd, 'check');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'detections/windows/encoded-powershell.md:4:9: error Unexpected status `stabel`, expected `stable`  frontmatter/invalid-status',
    );
    expect(result.stdout).toMatch(/1 error, 0 warnings/);
  });

  it('fails on warnings only past --max-warnings', async () => {
    const cwd = workspace({ [path]: validDocument({ 'High.': 'TODO' }) });
    expect((await run(cwd, 'check')).code).toBe(0);
    expect((await run(cwd, 'check', '--max-warnings', '1')).code).toBe(0);
    expect((await run(cwd, 'check', '--max-warnings', '0')).code).toBe(1);
  });

  it('exits 2 on usage errors, a missing path or no detections', async () => {
    const cwd = workspace({ 'empty/readme.txt': 'x' });
    expect((await run(cwd, 'check', '--format', 'xml')).code).toBe(2);
    expect((await run(cwd, 'check', '--bogus')).code).toBe(2);
    const missing = await run(cwd, 'check', 'nope');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('`nope`: no such file or folder');
    const none = await run(cwd, 'check', 'empty');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no detections found in `empty`');
  });

  it('reports bad files with positions and still checks the rest', async () => {
    const cwd = workspace({
      [path]: bad,
      'detections/windows/latin1.md': new Uint8Array([...Buffer.from('---\nid: x\n---\n# caf'), 0xe9, 0x0a]),
      'detections/windows/bom.md':
        '\ufeff' +
        validDocument({
          'title: Encoded PowerShell': 'title: Bom',
          'id: 0e5b6a2e-3f4d-4c6b-9a1e-2f7d8c9b0a1d': 'id: 1e5b6a2e-3f4d-4c6b-9a1e-2f7d8c9b0a1d',
        }),
      'detections/windows/empty.md': '',
      'detections/windows/huge.md': 'x'.repeat(2 * 1024 * 1024),
      'detections/windows/fence.md': '---\nid: 1\n---\n\n## Validation\n\n```json expect=match\n{}\n',
    });
    const { code, stdout } = await run(cwd, 'check', '--format', 'json');
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as {
      files: number;
      diagnostics: { file: string; ruleId: string; place?: { start: { line: number; column: number } } }[];
    };
    expect(report.files).toBe(6);
    const at = (rule: string) => report.diagnostics.find((d) => d.ruleId === rule);
    expect(at('file/not-utf8')).toMatchObject({
      file: 'detections/windows/latin1.md',
      place: { start: { line: 4, column: 6 } },
    });
    expect(at('file/bom')).toMatchObject({
      file: 'detections/windows/bom.md',
      place: { start: { line: 1, column: 1 } },
    });
    expect(at('file/empty')).toMatchObject({ file: 'detections/windows/empty.md' });
    expect(at('file/too-large')).toMatchObject({ file: 'detections/windows/huge.md' });
    expect(at('block/unterminated-fence')).toMatchObject({
      file: 'detections/windows/fence.md',
      place: { start: { line: 7, column: 1 } },
    });
    expect(at('frontmatter/invalid-status')).toMatchObject({ file: path });
    // The BOM file is otherwise fine: the BOM was stripped, so its frontmatter was found and checked clean.
    expect(report.diagnostics.filter((d) => d.file === 'detections/windows/bom.md').map((d) => d.ruleId)).toEqual([
      'file/bom',
    ]);
  });

  it('finds duplicate ids and titles across files, and file names that do not match the title', async () => {
    const cwd = workspace({
      [path]: good,
      'detections/windows/copy.md': good,
    });
    const { stdout } = await run(cwd, 'check', '--format', 'json');
    const ids = (
      JSON.parse(stdout) as { diagnostics: { ruleId: string; file: string; related?: { file: string }[] }[] }
    ).diagnostics;
    expect(ids.find((d) => d.ruleId === 'catalog/duplicate-id')).toMatchObject({
      file: 'detections/windows/encoded-powershell.md',
      related: [{ file: 'detections/windows/copy.md' }],
    });
    expect(ids.find((d) => d.ruleId === 'catalog/duplicate-title')).toBeDefined();
    expect(ids.find((d) => d.ruleId === 'catalog/file-name')).toMatchObject({ file: 'detections/windows/copy.md' });
  });

  it('writes SARIF 2.1.0 that validates against the official schema', async () => {
    const cwd = workspace({ [path]: bad });
    const { stdout, code } = await run(cwd, 'check', '--format', 'sarif');
    expect(code).toBe(1);
    const require = createRequire(import.meta.url);
    const schemaPath = join(
      require.resolve('@microsoft/jest-sarif/package.json'),
      '..',
      'lib',
      'schemas',
      'sarif-2.1.0-rtm.5.json',
    );
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
    delete schema['$schema'];
    // A CommonJS module: its export is the class itself.
    const Ajv = require('ajv-draft-04') as typeof AjvDraft04.default;
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false });
    const validate = ajv.compile(schema);
    const log = JSON.parse(stdout) as {
      runs: { results: { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[];
    };
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    expect(log.runs[0]!.results[0]).toMatchObject({
      ruleId: 'frontmatter/invalid-status',
      locations: [{ physicalLocation: { region: { startLine: 4 } } }],
    });
  });

  it('writes GitHub workflow commands for pull request annotations', async () => {
    const cwd = workspace({ [path]: bad });
    const { stdout } = await run(cwd, 'check', '--format', 'github');
    expect(stdout).toContain(
      '::error file=detections/windows/encoded-powershell.md,line=4,col=9,endLine=4,endColumn=15,title=frontmatter/invalid-status::Unexpected status `stabel`, expected `stable`',
    );
  });

  it('writes the report to --out', async () => {
    const cwd = workspace({ [path]: bad });
    const result = await run(cwd, 'check', '--format', 'json', '--out', 'report.json');
    expect(result.stdout).toBe('');
    expect(JSON.parse(readFileSync(join(cwd, 'report.json'), 'utf8')).summary).toEqual({
      error: 1,
      warning: 0,
      info: 0,
    });
  });

  it('has --help', async () => {
    const result = await run(workspace(), 'check', '--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: loom check');
    expect(result.stdout).toContain('--max-warnings');
  });
});

describe('loom new', () => {
  it('scaffolds a detection that checks clean apart from to-do warnings, and never overwrites', async () => {
    const cwd = workspace();
    const created = await run(cwd, 'new', 'Suspicious Service Install', '--platform', 'windows', '--author', 'Ada');
    expect(created.code).toBe(0);
    const file = 'detections/windows/suspicious-service-install.md';
    const text = readFileSync(join(cwd, file), 'utf8');
    expect(text).toMatch(/^id: [0-9a-f-]{36}$/m);
    expect(text).toContain(`created: ${new Date().toISOString().slice(0, 10)}`);
    expect(text).toContain('```sigma');
    expect(text).toContain('expect=match');
    expect(text).toContain('expect=no-match');
    const check = await run(cwd, 'check', '--format', 'json');
    expect(check.code).toBe(0);
    const rules = new Set(
      (JSON.parse(check.stdout) as { diagnostics: { ruleId: string; severity: string }[] }).diagnostics.map(
        (d) => `${d.severity} ${d.ruleId}`,
      ),
    );
    expect([...rules].sort()).toEqual(['warning ads/todo-section', 'warning block/empty-sigma']);
    const again = await run(cwd, 'new', 'Suspicious Service Install');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
    expect(readFileSync(join(cwd, file), 'utf8')).toBe(text);
  });

  it('needs a title', async () => {
    expect((await run(workspace(), 'new')).code).toBe(2);
  });
});

describe('loom', () => {
  it('suggests the near command', async () => {
    const result = await run(workspace(), 'chek');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('expected `check`');
  });
});
