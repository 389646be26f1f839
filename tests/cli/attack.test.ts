import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { ATTACK_CACHE } from '../../src/site/attack-file.ts';
import { run, workspace } from '../helpers/cli.ts';

const FIXTURE = readFileSync(
  join(dirname(fileURLToPath(import.meta.url)), '../fixtures/attack/enterprise-attack-mini.json'),
);

let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    switch (req.url) {
      case '/enterprise-attack.json':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': FIXTURE.length });
        return res.end(FIXTURE);
      case '/gzip.json': {
        const body = gzipSync(FIXTURE);
        res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': body.length });
        return res.end(body);
      }
      case '/moved':
        res.writeHead(302, { location: '/enterprise-attack.json' });
        return res.end();
      case '/not-stix.json':
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('{"hello": "world"}');
      case '/no-techniques.json':
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('{"type": "bundle", "id": "bundle--1", "objects": [{"type": "malware", "name": "x"}]}');
      case '/portal':
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<!doctype html><title>Sign in to the Wi-Fi</title>');
      case '/stall':
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.write('{"type": "bundle", ');
      default:
        res.writeHead(404, 'Not Found');
        return res.end('not here');
    }
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
});

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((ready) => probe.listen(0, '127.0.0.1', ready));
  const { port } = probe.address() as AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}

const noDownloads = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.download'));

describe('loom attack update', () => {
  it('downloads the bundle into the cache the site reads, checked', async () => {
    const cwd = workspace();
    const result = await run(cwd, 'attack', 'update', '--url', `${base}/enterprise-attack.json`);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^loom attack update: ATT&CK 18\.1 enterprise bundle \(5 techniques, 3 sub-techniques, 4 tactics\) written to node_modules\/\.cache\/loom\/enterprise-attack\.json \(0\.0 MB\)\n$/,
    );
    expect(readFileSync(join(cwd, ATTACK_CACHE))).toEqual(FIXTURE);
    expect(noDownloads(dirname(join(cwd, ATTACK_CACHE)))).toEqual([]);
  });

  it.each([['/gzip.json'], ['/moved']])('follows %s (gzip, redirect) and writes --out', async (path) => {
    const cwd = workspace();
    const result = await run(cwd, 'attack', 'update', '--url', base + path, '--out', 'attack/enterprise.json');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('written to attack/enterprise.json');
    expect(readFileSync(join(cwd, 'attack/enterprise.json'))).toEqual(FIXTURE);
  });

  it('names an --out outside the working folder by its absolute path', async () => {
    const cwd = workspace();
    const elsewhere = join(workspace(), 'enterprise.json');
    const result = await run(cwd, 'attack', 'update', '--url', `${base}/enterprise-attack.json`, '--out', elsewhere);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`written to ${elsewhere} (`);
  });

  it('shows progress on a terminal', async () => {
    const cwd = workspace();
    let stderr = '';
    const code = await main(['attack', 'update', '--url', `${base}/enterprise-attack.json`], {
      cwd,
      isTTY: true,
      env: {},
      stdout: () => {},
      stderr: (t) => (stderr += t),
    });
    expect(code).toBe(0);
    expect(stderr).toContain(`downloading ${base}/enterprise-attack.json`);
    expect(stderr).toMatch(/\rloom attack update: 0\.0 \/ 0\.0 MB \(100%\)/);
  });

  it('reports an unreachable server in one line, exits 1, and leaves the cache alone', async () => {
    const cwd = workspace({ [ATTACK_CACHE]: 'the old cache' });
    const port = await closedPort();
    const result = await run(cwd, 'attack', 'update', '--url', `http://127.0.0.1:${port}/enterprise-attack.json`);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `loom attack update: cannot download http://127.0.0.1:${port}/enterprise-attack.json: the connection was refused (ECONNREFUSED)\n` +
        'Are you offline? Use --url to download from a mirror, or point loom.attackBundle (package.json) or LOOM_ATTACK_BUNDLE at a bundle on disk. The cache was not changed.\n',
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(join(cwd, ATTACK_CACHE), 'utf8')).toBe('the old cache');
    expect(noDownloads(dirname(join(cwd, ATTACK_CACHE)))).toEqual([]);
  });

  it.each([
    ['/not-stix.json', '(`"type"` is `null`, not `"bundle"`)'],
    ['/no-techniques.json', '(no attack-pattern objects with ATT&CK ids)'],
    ['/portal', '(not JSON: '],
  ])('refuses a response that is not an ATT&CK STIX bundle: %s', async (path, why) => {
    const cwd = workspace({ [ATTACK_CACHE]: 'the old cache' });
    const result = await run(cwd, 'attack', 'update', '--url', base + path);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`loom attack update: Unexpected response from ${base}${path} ${why}`);
    expect(result.stderr).toContain(
      'expected an ATT&CK STIX bundle; `node_modules/.cache/loom/enterprise-attack.json` was not changed\n',
    );
    expect(readFileSync(join(cwd, ATTACK_CACHE), 'utf8')).toBe('the old cache');
    expect(noDownloads(dirname(join(cwd, ATTACK_CACHE)))).toEqual([]);
  });

  it('reports an HTTP error with its status', async () => {
    const cwd = workspace();
    const result = await run(cwd, 'attack', 'update', '--url', `${base}/gone`, '--out', 'x.json');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `loom attack update: Unexpected HTTP 404 Not Found from ${base}/gone, expected 200; \`x.json\` was not changed.\n`,
    );
    expect(existsSync(join(cwd, 'x.json'))).toBe(false);
  });

  it('gives up on a server that stops sending, after --timeout', async () => {
    const cwd = workspace();
    mkdirSync(join(cwd, 'out'));
    writeFileSync(join(cwd, 'out/bundle.json'), 'old');
    const result = await run(
      cwd,
      'attack',
      'update',
      '--url',
      `${base}/stall`,
      '--timeout',
      '1',
      '--out',
      'out/bundle.json',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('loom attack update: no data from 127.0.0.1:');
    expect(readFileSync(join(cwd, 'out/bundle.json'), 'utf8')).toBe('old');
    expect(noDownloads(join(cwd, 'out'))).toEqual([]);
  });

  it.each([
    [['attack'], 'loom attack: Expected a subcommand: `update`'],
    [['attack', 'upgrade'], 'loom attack: Unexpected subcommand `upgrade`, expected `update`'],
    [
      ['attack', 'update', '--url', 'ftp://mirror/x.json'],
      'Unexpected --url `ftp://mirror/x.json`, expected an http(s) URL',
    ],
    [['attack', 'update', '--url', 'not a url'], 'Unexpected --url `not a url`, expected an http(s) URL'],
    [['attack', 'update', '--timeout', '0'], 'Unexpected --timeout `0`, expected at least 1 second'],
    [['attack', 'update', 'extra'], 'Unexpected argument `extra`'],
  ])('rejects %j as a usage error', async (args, message) => {
    const result = await run(workspace(), ...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('has --help, listed by loom --help', async () => {
    const help = await run(workspace(), 'attack', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: loom attack update [options]');
    expect(help.stdout).toContain('--url <url>');
    expect(help.stdout).toContain(ATTACK_CACHE);
    expect((await run(workspace(), '--help')).stdout).toMatch(/^ {2}attack +Download MITRE's ATT&CK/m);
  });
});
