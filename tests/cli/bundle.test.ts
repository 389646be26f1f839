import { cpSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run, workspace } from '../helpers/cli.ts';
import { validDocument } from '../helpers/documents.ts';

const fixture = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/site-catalog');

function catalogWorkspace(): string {
  const dir = workspace();
  cpSync(fixture, join(dir, 'detections'), { recursive: true });
  return dir;
}

describe('loom bundle', () => {
  it('writes rules.json, schema.json and one YAML per shipped detection to dist/bundle', async () => {
    const dir = catalogWorkspace();
    const result = await run(dir, 'bundle');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/3 detections \(1 deprecated\), 1 left out/);
    const out = join(dir, 'dist/bundle');
    expect(readdirSync(out).sort()).toEqual(['rules.json', 'schema.json', 'sigma']);
    expect(readdirSync(join(out, 'sigma'))).toHaveLength(3);
    const rules = JSON.parse(readFileSync(join(out, 'rules.json'), 'utf8'));
    expect(rules.detections.map((d: { status: string }) => d.status).sort()).toEqual(['deprecated', 'stable', 'test']);
  });

  it('is byte-identical across two builds', async () => {
    const dir = catalogWorkspace();
    await run(dir, 'bundle', '--out', 'a');
    await run(dir, 'bundle', '--out', 'b');
    for (const f of ['rules.json', 'schema.json', 'sigma/11111111-1111-4111-8111-111111111111.yml'])
      expect(readFileSync(join(dir, 'b', f))).toEqual(readFileSync(join(dir, 'a', f)));
  });

  it('ships experimental detections only when asked', async () => {
    const dir = catalogWorkspace();
    expect((await run(dir, 'bundle', '--include-experimental')).stdout).toMatch(/4 detections/);
    expect(existsSync(join(dir, 'dist/bundle/sigma/33333333-3333-4333-8333-333333333333.yml'))).toBe(true);
  });

  it('reads LOOM_DETECTIONS when no path is given', async () => {
    const dir = workspace();
    cpSync(fixture, join(dir, 'elsewhere'), { recursive: true });
    const { main } = await import('../../src/cli/main.ts');
    let stdout = '';
    const code = await main(['bundle'], {
      cwd: dir,
      isTTY: false,
      env: { LOOM_DETECTIONS: 'elsewhere' },
      stdout: (t) => (stdout += t),
      stderr: () => {},
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(/3 detections/);
  });

  it('fails with exit 1 and writes nothing when the catalog has errors', async () => {
    const dir = workspace({ 'detections/windows/x.md': validDocument({ 'status: stable': 'status: stabel' }) });
    const result = await run(dir, 'bundle');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('frontmatter/');
    expect(result.stderr).toContain('no bundle written');
    expect(existsSync(join(dir, 'dist/bundle'))).toBe(false);
  });

  it.each([
    [['bundle', 'nope'], 2],
    [['bundle', '--bogus'], 2],
  ])('exits 2 on usage errors: %j', async (args, code) => {
    expect((await run(catalogWorkspace(), ...args)).code).toBe(code);
  });

  it('has a help text that documents the statuses', async () => {
    const result = await run(workspace(), 'bundle', '--help');
    expect(result.stdout).toContain('experimental');
    expect(result.stdout).toContain('deprecated');
  });
});
