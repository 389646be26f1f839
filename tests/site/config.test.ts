import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  commitUrl,
  envProblems,
  formatConfigProblem,
  loadConfig,
  parseConfigEntry,
  siteConfig,
} from '../../src/site/config.ts';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = (loom: unknown) => JSON.stringify({ name: 'catalog', private: true, loom }, null, 2) + '\n';
const problems = (text: string) => parseConfigEntry(text).problems.map(formatConfigProblem);

describe('the "loom" entry of package.json', () => {
  it('accepts every key and keeps the valid values', () => {
    const entry = {
      detections: 'catalog',
      attackBundle: 'attack/enterprise-attack.json',
      repoUrl: 'https://github.com/org/detections',
      repoBranch: 'release/2025',
      siteUrl: 'https://detections.example.org',
      base: '/kb/',
    };
    expect(parseConfigEntry(pkg(entry))).toEqual({ entry, problems: [] });
  });

  it('is optional, and so is package.json', () => {
    expect(parseConfigEntry('{"name": "x"}')).toEqual({ entry: {}, problems: [] });
    const empty = mkdtempSync(join(tmpdir(), 'loom-config-'));
    expect(loadConfig(empty, {})).toEqual({ detections: 'detections', repoBranch: 'main', base: '/' });
  });

  it.each([
    [
      { repoUrl: 'github.com/org/repo' },
      'package.json:5:16: error Unexpected `github.com/org/repo` in `loom.repoUrl`, expected an http(s) repository URL such as `https://github.com/org/repo`  config/invalid-value',
    ],
    [
      { repoUrl: 'ftp://example.org/repo' },
      'package.json:5:16: error Unexpected `ftp://example.org/repo` in `loom.repoUrl`, expected an http(s) repository URL such as `https://github.com/org/repo`  config/invalid-value',
    ],
    [
      { detections: '' },
      'package.json:5:19: error Unexpected empty string in `loom.detections`, expected a folder path such as `detections`  config/invalid-value',
    ],
    [
      { detections: ['a', 'b'] },
      'package.json:5:19: error Unexpected array in `loom.detections`, expected a folder path such as `detections`  config/invalid-value',
    ],
    [
      { repoBranch: 'my branch' },
      'package.json:5:19: error Unexpected `my branch` in `loom.repoBranch`, expected a branch name such as `main`  config/invalid-value',
    ],
    [
      { siteUrl: 42 },
      'package.json:5:16: error Unexpected `42` in `loom.siteUrl`, expected an http(s) URL such as `https://detections.example.org`  config/invalid-value',
    ],
    [
      { base: 'kb/' },
      'package.json:5:13: error Unexpected `kb/` in `loom.base`, expected a path starting with `/`, such as `/detections/`  config/invalid-value',
    ],
    [
      { attackBundle: null },
      'package.json:5:21: error Unexpected `null` in `loom.attackBundle`, expected a path to an ATT&CK STIX bundle such as `attack/enterprise-attack.json`  config/invalid-value',
    ],
    [
      { repoURL: 'https://x.org' },
      'package.json:5:5: error Unexpected key `loom.repoURL`, expected `repoUrl`  config/unknown-key',
    ],
    [
      { output: 'dist' },
      'package.json:5:5: error Unexpected key `loom.output`, expected one of `detections`, `attackBundle`, `repoUrl`, `repoBranch`, `siteUrl`, `base`  config/unknown-key',
    ],
    [
      'detections',
      'package.json:4:11: error Unexpected `detections` in `loom`, expected an object of settings (`detections`, `attackBundle`, `repoUrl`, `repoBranch`, `siteUrl`, `base`)  config/invalid-value',
    ],
  ])('reports %j with its key, position and what was expected', (loom, message) => {
    expect(problems(pkg(loom))).toEqual([message]);
  });

  it('reports every bad key at once, and keeps the good ones', () => {
    const parsed = parseConfigEntry(pkg({ detections: 'catalog', repoUrl: 'nope', base: 'x' }));
    expect(parsed.entry).toEqual({ detections: 'catalog' });
    expect(parsed.problems.map((p) => [p.line, p.ruleId])).toEqual([
      [6, 'config/invalid-value'],
      [7, 'config/invalid-value'],
    ]);
  });

  it('reports a package.json that is not JSON at the first error', () => {
    expect(problems('{\n  "name": "x",\n  "loom": {"detections": "d",}\n}\n')).toEqual([
      'package.json:3:30: error Unexpected `}`, expected valid JSON  config/invalid-json',
    ]);
  });

  it('reports a package.json cut short', () => {
    expect(problems('{"loom": {')).toEqual([
      'package.json:1:11: error Unexpected end of file, expected valid JSON  config/invalid-json',
    ]);
  });

  it("accepts this repository's own entry", () => {
    const entry = parseConfigEntry(readFileSync(join(repo, 'package.json'), 'utf8'));
    expect(entry.problems).toEqual([]);
    expect(entry.entry.detections).toBe('detections');
  });
});

describe('environment variables', () => {
  it('override the entry; an empty one counts as unset', () => {
    const config = siteConfig(
      { LOOM_DETECTIONS: 'other', LOOM_REPO_URL: 'https://gitlab.example/o/r/', LOOM_BASE: '' },
      { detections: 'catalog', repoUrl: 'https://github.com/o/r', repoBranch: 'dev', base: '/kb/' },
    );
    expect(config).toEqual({
      detections: 'other',
      repoUrl: 'https://gitlab.example/o/r',
      repoBranch: 'dev',
      base: '/kb/',
    });
  });

  it('are validated like the entry, naming the variable', () => {
    expect(envProblems({ LOOM_REPO_URL: 'not a url', LOOM_BASE: '', LOOM_SITE_URL: 'https://ok.example' })).toEqual([
      {
        file: 'LOOM_REPO_URL',
        message:
          'Unexpected `not a url` in `LOOM_REPO_URL`, expected an http(s) repository URL such as `https://github.com/org/repo`',
        ruleId: 'config/invalid-value',
      },
    ]);
  });

  it('loadConfig merges package.json and the environment, and throws every problem as one ConfigError', () => {
    const dir = mkdtempSync(join(tmpdir(), 'loom-config-'));
    writeFileSync(join(dir, 'package.json'), pkg({ detections: 'catalog', repoUrl: 'https://github.com/o/r' }));
    expect(loadConfig(dir, { LOOM_REPO_BRANCH: 'dev' })).toEqual({
      detections: 'catalog',
      repoUrl: 'https://github.com/o/r',
      repoBranch: 'dev',
      base: '/',
    });
    writeFileSync(join(dir, 'package.json'), pkg({ detections: 7 }));
    let error: unknown;
    try {
      loadConfig(dir, { LOOM_SITE_URL: 'nope' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(
      [
        'package.json:5:19: error Unexpected `7` in `loom.detections`, expected a folder path such as `detections`  config/invalid-value',
        'LOOM_SITE_URL: error Unexpected `nope` in `LOOM_SITE_URL`, expected an http(s) URL such as `https://detections.example.org`  config/invalid-value',
      ].join('\n'),
    );
  });

  it('builds commit links from the repository URL', () => {
    expect(commitUrl(siteConfig({}, { repoUrl: 'https://github.com/o/r' }), 'abc123')).toBe(
      'https://github.com/o/r/commit/abc123',
    );
    expect(commitUrl(siteConfig({}), 'abc123')).toBeUndefined();
  });
});
