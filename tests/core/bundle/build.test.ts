import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../src/catalog/load.ts';
import { buildBundle, logicHash } from '../../../src/core/bundle/build.ts';
import { pagePath } from '../../../src/core/bundle/page.ts';
import { bundleJsonSchema, bundleSchema } from '../../../src/core/bundle/schema.ts';
import { parse, validDocument } from '../../helpers/documents.ts';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const sha256 = (t: string): string => createHash('sha256').update(t).digest('hex');
const catalog = loadCatalog(['tests/fixtures/site-catalog'], { cwd: repo });

describe('buildBundle', () => {
  it('loads the fixture catalog without errors', () => {
    expect(catalog.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(catalog.detections).toHaveLength(4);
  });

  it('is byte-identical across builds and input orders', () => {
    const a = buildBundle(catalog.detections, { sha256, commit: 'abc' });
    const b = buildBundle([...catalog.detections].reverse(), { sha256, commit: 'abc' });
    expect([...a.files.keys()].sort()).toEqual([...b.files.keys()].sort());
    for (const [path, content] of a.files) expect(b.files.get(path)).toBe(content);
    expect(a.files.get('rules.json')).not.toMatch(/20\d\d-\d\d-\d\dT\d\d:/);
  });

  it('sorts detections by id', () => {
    const ids = buildBundle(catalog.detections, { sha256 }).bundle.detections.map((d) => d.id);
    expect(ids).toEqual([...ids].sort());
  });

  it.each([
    { statuses: undefined, expected: ['stable', 'deprecated', 'test'], left: 1 },
    {
      statuses: ['experimental', 'test', 'stable', 'deprecated'] as const,
      expected: ['stable', 'deprecated', 'experimental', 'test'],
      left: 0,
    },
    { statuses: ['stable'] as const, expected: ['stable'], left: 3 },
  ])('ships statuses $statuses', ({ statuses, expected, left }) => {
    const out = buildBundle(catalog.detections, { sha256, ...(statuses ? { statuses } : {}) });
    expect(out.bundle.detections.map((d) => d.status)).toEqual(expected);
    expect(out.skipped).toHaveLength(left);
    expect(out.bundle.detections.every((d) => d.deprecated === (d.status === 'deprecated'))).toBe(true);
  });

  it('leaves experimental out by default and marks deprecated', () => {
    const out = buildBundle(catalog.detections, { sha256 });
    expect(out.skipped[0]!.reason).toContain('experimental');
    const legacy = out.bundle.detections.find((d) => d.title.startsWith('Legacy'))!;
    expect(legacy.deprecated).toBe(true);
    expect(out.files.has(`sigma/${legacy.id}.yml`)).toBe(true);
    expect(out.files.has('sigma/33333333-3333-4333-8333-333333333333.yml')).toBe(false);
  });

  it('produces rules.json valid against schema.json and the zod schema', () => {
    const out = buildBundle(catalog.detections, { sha256, commit: 'deadbeef' });
    const rules = JSON.parse(out.files.get('rules.json')!);
    const schema = JSON.parse(out.files.get('schema.json')!);
    expect(schema).toEqual(JSON.parse(JSON.stringify(bundleJsonSchema())));
    const validate = new Ajv2020.default({ strict: false }).compile(schema);
    expect(validate(rules), JSON.stringify(validate.errors)).toBe(true);
    expect(bundleSchema.safeParse(rules).success).toBe(true);
    expect(rules.source.commit).toBe('deadbeef');
    // The schema rejects what it should.
    expect(validate({ ...rules, format_version: 2 })).toBe(false);
    expect(validate({ ...rules, detections: [{ ...rules.detections[0], status: 'beta' }] })).toBe(false);
  });

  it('carries the merged rule, queries, tests, hash and page of a detection', () => {
    const out = buildBundle(catalog.detections, { sha256, siteUrl: 'https://kb.example/' });
    const d = out.bundle.detections.find((x) => x.id === '11111111-1111-4111-8111-111111111111')!;
    expect(d.page).toBe('https://kb.example/detections/windows/encoded-powershell-fixture/');
    expect(d.logic_hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(d.sigma[0]).toMatchObject({
      title: 'Encoded PowerShell Fixture',
      id: d.id,
      status: 'stable',
      level: 'high',
      logsource: { category: 'process_creation', product: 'windows' },
    });
    expect(d.sigma[0]!['tags']).toContain('attack.t1059.001');
    expect(d.queries.map((q) => [q.language, q.target, q.origin])).toEqual([
      ['kql', 'sentinel', 'hand-written'],
      ['spl', 'splunk', 'hand-written'],
    ]);
    expect(d.tests).toMatchObject({ passed: 4, failed: 0 });
    const yml = out.files.get(`sigma/${d.id}.yml`)!;
    expect(yml).toMatch(/^title: Encoded PowerShell Fixture\nid: 11111111/);
    expect(yml).toContain("CommandLine|contains: ' -enc '");
  });

  it('changes the logic hash when the logic changes, not when the prose does', () => {
    const base = parse(validDocument()).detection;
    const prose = parse(validDocument({ 'Renamed binaries.': 'Renamed or copied binaries.' })).detection;
    const logic = parse(
      validDocument({ 'index=sysmon EventCode=1 CommandLine="* -enc *"': 'index=sysmon CommandLine="*-e *"' }),
    ).detection;
    expect(logicHash(prose, sha256)).toBe(logicHash(base, sha256));
    expect(logicHash(logic, sha256)).not.toBe(logicHash(base, sha256));
  });

  it('skips detections without valid frontmatter', () => {
    const broken = parse(validDocument({ 'status: stable': 'status: nope' })).detection;
    const out = buildBundle([broken], { sha256 });
    expect(out.bundle.detections).toEqual([]);
    expect(out.skipped).toEqual([{ path: broken.path, reason: 'no valid frontmatter' }]);
  });

  it('puts a page under its platform and title slug', () => {
    expect(pagePath(parse(validDocument()).detection)).toBe('/detections/windows/encoded-powershell/');
  });
});
