/** `loom bundle` reads the "loom" entry of package.json; the environment overrides it. */
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { workspace } from '../helpers/cli.ts';

const fixture = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/site-catalog');

function withPackage(loom: unknown): string {
  const dir = workspace();
  cpSync(fixture, join(dir, 'catalog'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'detections', loom }, null, 2) + '\n');
  return dir;
}

async function bundle(cwd: string, env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(['bundle'], {
    cwd,
    env,
    isTTY: false,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  return { code, stdout, stderr };
}

describe('loom bundle and the "loom" entry', () => {
  it('takes the catalog folder and the site URL from package.json', async () => {
    const dir = withPackage({ detections: 'catalog', siteUrl: 'https://kb.example.org/' });
    const result = await bundle(dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const rules = JSON.parse(readFileSync(join(dir, 'dist/bundle/rules.json'), 'utf8'));
    expect(rules.detections.length).toBe(3);
    expect(JSON.stringify(rules)).toContain('https://kb.example.org/');
  });

  it('lets LOOM_DETECTIONS override it', async () => {
    const dir = withPackage({ detections: 'nowhere' });
    expect((await bundle(dir)).code).toBe(2);
    expect((await bundle(dir, { LOOM_DETECTIONS: 'catalog' })).code).toBe(0);
  });

  it('stops on a bad entry with its position and what was expected, and writes nothing', async () => {
    const dir = withPackage({ detections: 'catalog', siteUrl: 'kb.example.org' });
    const result = await bundle(dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'package.json:5:16: error Unexpected `kb.example.org` in `loom.siteUrl`, expected an http(s) URL such as `https://detections.example.org`  config/invalid-value\n' +
        'loom bundle: the configuration has errors; no bundle written\n',
    );
    expect(existsSync(join(dir, 'dist'))).toBe(false);
  });
});
