import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.ts';
import { ATTACK_CACHE, attackBundlePath, readAttackNames, readStixFile } from '../../src/site/attack-file.ts';
import { attackNamesFromStix, stixBundleProblem, techniqueName } from '../../src/site/attack.ts';
import { ConfigError, siteConfig } from '../../src/site/config.ts';
import { attackMatrix, facets, indexRows, tacticOrder } from '../../src/site/pages.ts';
import { corpus } from '../helpers/corpus.ts';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURE = join(repo, 'tests/fixtures/attack/enterprise-attack-mini.json');
const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { objects: Record<string, unknown>[] };
const names = attackNamesFromStix(fixture);
const rows = indexRows(loadCatalog(['tests/fixtures/site-catalog'], { cwd: repo }).detections);

describe('attackNamesFromStix on a hand-written enterprise bundle', () => {
  it('reads techniques and sub-techniques by their mitre-attack id, with their kill-chain tactics', () => {
    expect(Object.fromEntries(names.techniques)).toEqual({
      T1059: { name: 'Command and Scripting Interpreter', tactics: ['execution'] },
      'T1059.001': { name: 'PowerShell', tactics: ['execution'], parent: 'T1059' },
      'T1059.004': { name: 'Unix Shell', tactics: ['execution'], parent: 'T1059' },
      // the mitre-attack reference is not the first one here (a CAPEC reference is)
      T1027: { name: 'Obfuscated Files or Information', tactics: ['defense-evasion'] },
      T1218: { name: 'System Binary Proxy Execution', tactics: ['defense-evasion'] },
      'T1218.011': { name: 'Rundll32', tactics: ['defense-evasion'], parent: 'T1218' },
      // the Lockheed kill-chain phase is not an ATT&CK tactic
      T1105: { name: 'Ingress Tool Transfer', tactics: ['command-and-control'] },
      T1053: { name: 'Scheduled Task/Job', tactics: ['execution', 'persistence'] },
    });
  });

  it('skips revoked and deprecated objects, and objects that are not attack-patterns', () => {
    expect(names.techniques.has('T1086')).toBe(false); // revoked
    expect(names.techniques.has('T1064')).toBe(false); // deprecated
    expect(names.techniques.has('S9999')).toBe(false); // malware
    expect(names.tactics.has('retired-tactic')).toBe(false);
  });

  it('reads tactic names and the matrix order', () => {
    expect(Object.fromEntries(names.tactics)).toEqual({
      execution: 'Execution',
      persistence: 'Persistence',
      'defense-evasion': 'Defense Evasion',
      'command-and-control': 'Command and Control',
    });
    expect(names.tacticOrder).toEqual(['execution', 'persistence', 'defense-evasion', 'command-and-control']);
  });

  it("takes the tactic order from the enterprise matrix's tactic_refs, not from Loom's list", () => {
    const reversed = structuredClone(fixture);
    const matrix = reversed.objects.find((o) => o['type'] === 'x-mitre-matrix')!;
    matrix['tactic_refs'] = [...(matrix['tactic_refs'] as string[])].reverse();
    const order = attackNamesFromStix(reversed).tacticOrder;
    expect(order).toEqual(['command-and-control', 'defense-evasion', 'persistence', 'execution']);
    expect(attackMatrix(rows, attackNamesFromStix(reversed)).map((c) => c.tactic)).toEqual(order);
  });

  it("orders tactics by Loom's list when the bundle has no matrix", () => {
    const noMatrix = { ...fixture, objects: fixture.objects.filter((o) => o['type'] !== 'x-mitre-matrix') };
    expect(attackNamesFromStix(noMatrix).tacticOrder).toEqual([
      'execution',
      'persistence',
      'defense-evasion',
      'command-and-control',
    ]);
  });

  it('names a sub-technique with its parent', () => {
    expect(techniqueName('T1059.001', names)).toBe('Command and Scripting Interpreter: PowerShell');
    expect(techniqueName('T1105', names)).toBe('Ingress Tool Transfer');
    expect(techniqueName('T1999', names)).toBeUndefined();
    expect(techniqueName('T1105')).toBeUndefined();
  });

  it.each([null, 'x', [], {}, { objects: 'no' }])('survives a malformed bundle %j', (bundle) => {
    const empty = attackNamesFromStix(bundle);
    expect(empty.techniques.size).toBe(0);
    expect(empty.tacticOrder).toEqual([]);
  });
});

describe('stixBundleProblem', () => {
  it('accepts the fixture', () => {
    expect(stixBundleProblem(fixture)).toBeUndefined();
  });

  it.each([
    [null, 'not a JSON object'],
    [[], 'a JSON array, not an object'],
    [{ objects: [] }, '`"type"` is `null`, not `"bundle"`'],
    [{ type: 'indicator' }, '`"type"` is `"indicator"`, not `"bundle"`'],
    [{ type: 'bundle' }, 'no `objects` array'],
    [{ type: 'bundle', objects: [{ type: 'malware', name: 'x' }] }, 'no attack-pattern objects with ATT&CK ids'],
  ])('rejects %j', (bundle, message) => {
    expect(stixBundleProblem(bundle)).toBe(message);
  });
});

describe('the matrix and facets with and without a bundle', () => {
  it('places techniques by the bundle, in its tactic order, with its names, gaps included', () => {
    const matrix = attackMatrix(rows, names);
    expect(matrix.map((c) => c.tactic)).toEqual(['execution', 'persistence', 'defense-evasion', 'command-and-control']);
    const cells = Object.fromEntries(
      matrix.map((c) => [c.tactic, c.cells.map((cell) => `${cell.id} ${cell.name} ${cell.detections.length}`)]),
    );
    expect(cells).toEqual({
      // T1059.001 and T1059.004 roll up into T1059; T1027 is declared under execution too but the bundle says defense-evasion
      execution: ['T1059 Command and Scripting Interpreter 2', 'T1053 Scheduled Task/Job 0'],
      persistence: ['T1053 Scheduled Task/Job 0'],
      'defense-evasion': ['T1027 Obfuscated Files or Information 1', 'T1218 System Binary Proxy Execution 1'],
      'command-and-control': ['T1105 Ingress Tool Transfer 1'],
    });
    expect(matrix.find((c) => c.tactic === 'execution')!.cells[0]!.detections.map((d) => d.technique)).toEqual([
      'T1059.001',
      'T1059.004',
    ]);
    expect(matrix.map((c) => c.name)).toEqual(['Execution', 'Persistence', 'Defense Evasion', 'Command and Control']);
  });

  it("falls back to the ids and tactics the detections declare, in Loom's tactic order", () => {
    const matrix = attackMatrix(rows);
    expect(matrix.map((c) => `${c.tactic}: ${c.cells.map((cell) => `${cell.id}=${cell.name}`).join(' ')}`)).toEqual([
      'execution: T1027=T1027 T1059=T1059',
      // without a bundle, each technique stands under every tactic its detection declares
      'defense-evasion: T1027=T1027 T1059=T1059 T1218=T1218',
      'command-and-control: T1105=T1105',
    ]);
    expect(tacticOrder()).toContain('reconnaissance');
  });

  it('labels the technique facet with full names', () => {
    const technique = facets(rows, names).find((f) => f.key === 'technique')!;
    expect(technique.values.map((v) => v.label)).toEqual([
      'T1027 Obfuscated Files or Information',
      'T1059.001 Command and Scripting Interpreter: PowerShell',
      'T1059.004 Command and Scripting Interpreter: Unix Shell',
      'T1105 Ingress Tool Transfer',
      'T1218.011 System Binary Proxy Execution: Rundll32',
    ]);
    expect(
      facets(rows)
        .find((f) => f.key === 'technique')!
        .values.map((v) => v.label)[0],
    ).toBe('T1027');
  });
});

describe('the bundle on disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'loom-attack-'));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  write('bundles/good.json', JSON.stringify(fixture));
  write('bundles/not-json.json', '{"type": "bundle",');
  write('bundles/not-stix.json', '{"hello": "world"}');

  it('reads a good file and explains a bad one', () => {
    expect('names' in readStixFile(join(dir, 'bundles/good.json'))).toBe(true);
    expect(readStixFile(join(dir, 'bundles/missing.json'))).toEqual({ problem: 'no such file' });
    expect(readStixFile(join(dir, 'bundles'))).toEqual({ problem: 'a folder, not a file' });
    expect(readStixFile(join(dir, 'bundles/not-json.json'))).toMatchObject({ problem: /^not JSON: / });
    expect(readStixFile(join(dir, 'bundles/not-stix.json'))).toEqual({ problem: '`"type"` is `null`, not `"bundle"`' });
  });

  it('uses the configured bundle, else the cache, else nothing', () => {
    const empty = mkdtempSync(join(tmpdir(), 'loom-attack-'));
    expect(attackBundlePath(siteConfig({}), empty)).toBeUndefined();
    expect(readAttackNames(siteConfig({}), empty, {}, () => {})).toBeUndefined();
    const cached = mkdtempSync(join(tmpdir(), 'loom-attack-'));
    mkdirSync(dirname(join(cached, ATTACK_CACHE)), { recursive: true });
    writeFileSync(join(cached, ATTACK_CACHE), JSON.stringify(fixture));
    expect(attackBundlePath(siteConfig({}), cached)).toEqual({ path: join(cached, ATTACK_CACHE), cached: true });
    expect(readAttackNames(siteConfig({}), cached, {}, () => {})?.techniques.get('T1105')?.name).toBe(
      'Ingress Tool Transfer',
    );
    const config = siteConfig({}, { attackBundle: 'bundles/good.json' });
    expect(attackBundlePath(config, dir)).toEqual({ path: join(dir, 'bundles/good.json'), cached: false });
    expect(readAttackNames(config, dir, {}, () => {})?.techniques.size).toBe(8);
  });

  it('warns about a bad cache and falls back to ids', () => {
    const cached = mkdtempSync(join(tmpdir(), 'loom-attack-'));
    mkdirSync(dirname(join(cached, ATTACK_CACHE)), { recursive: true });
    writeFileSync(join(cached, ATTACK_CACHE), '[]');
    const warnings: string[] = [];
    expect(readAttackNames(siteConfig({}), cached, {}, (m) => warnings.push(m))).toBeUndefined();
    expect(warnings).toEqual([
      'loom: ignoring the ATT&CK cache node_modules/.cache/loom/enterprise-attack.json (a JSON array, not an object); run `loom attack update` again',
    ]);
  });

  it.each([
    [
      {},
      { attackBundle: 'bundles/missing.json' },
      'package.json: error Unexpected file `bundles/missing.json` in `loom.attackBundle` (no such file)',
    ],
    [
      { LOOM_ATTACK_BUNDLE: 'bundles/not-stix.json' },
      {},
      'LOOM_ATTACK_BUNDLE: error Unexpected file `bundles/not-stix.json` in `LOOM_ATTACK_BUNDLE` (`"type"` is `null`, not `"bundle"`), expected an ATT&CK STIX bundle such as MITRE\'s enterprise-attack.json  config/invalid-value',
    ],
  ])('reports a configured bundle it cannot use (%j %j)', (env, entry, message) => {
    const config = siteConfig(env, entry);
    expect(() => readAttackNames(config, dir, env, () => {})).toThrow(ConfigError);
    expect(() => readAttackNames(config, dir, env, () => {})).toThrow(message);
  });
});

const shared = corpus('attack/enterprise-attack-18.1.json');
describe.skipIf(!shared.available)('MITRE ATT&CK 18.1 enterprise bundle (../shared/attack)', () => {
  const bundle: unknown = shared.available ? JSON.parse(readFileSync(shared.path, 'utf8')) : undefined;
  const enterprise = attackNamesFromStix(bundle);

  it('is a usable bundle', () => {
    expect(stixBundleProblem(bundle)).toBeUndefined();
    expect(enterprise.techniques.size).toBeGreaterThan(600);
    expect(enterprise.tactics.size).toBe(14);
  });

  it('names T1059.001 PowerShell, under execution, a sub-technique of T1059', () => {
    expect(enterprise.techniques.get('T1059.001')).toEqual({
      name: 'PowerShell',
      tactics: ['execution'],
      parent: 'T1059',
    });
    expect(techniqueName('T1059.001', enterprise)).toBe('Command and Scripting Interpreter: PowerShell');
    expect(enterprise.tactics.get('command-and-control')).toBe('Command and Control');
  });

  it('leaves out revoked and deprecated techniques', () => {
    expect(enterprise.techniques.has('T1086')).toBe(false); // revoked by T1059.001
    expect(enterprise.techniques.has('T1064')).toBe(false); // deprecated Scripting
  });

  it('orders the 14 enterprise tactics as ATT&CK does', () => {
    expect(enterprise.tacticOrder).toEqual([
      'reconnaissance',
      'resource-development',
      'initial-access',
      'execution',
      'persistence',
      'privilege-escalation',
      'defense-evasion',
      'credential-access',
      'discovery',
      'lateral-movement',
      'collection',
      'command-and-control',
      'exfiltration',
      'impact',
    ]);
  });

  it('names every technique the detections in detections/ declare, and places it under a tactic it serves', () => {
    const catalog = indexRows(loadCatalog(['detections'], { cwd: repo }).detections);
    expect(catalog.length).toBeGreaterThan(0);
    const declared = [...new Set(catalog.flatMap((r) => r.attack))].sort();
    expect(declared.filter((id) => !enterprise.techniques.has(id))).toEqual([]);
    const matrix = attackMatrix(catalog, enterprise);
    for (const id of declared) {
      const parent = id.split('.')[0]!;
      const columns = matrix.filter((c) => c.cells.some((cell) => cell.id === parent && cell.level > 0));
      expect(columns.length, id).toBeGreaterThan(0);
      for (const c of columns) expect(enterprise.techniques.get(parent)!.tactics, id).toContain(c.tactic);
    }
  });
});
