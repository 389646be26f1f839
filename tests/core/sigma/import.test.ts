import { readFileSync } from 'node:fs';
import jsyaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import {
  generatedState,
  importSigmaRule,
  mapStatus,
  normaliseDate,
  splitAuthors,
  splitTags,
} from '../../../src/core/sigma/import.ts';
import { sha1, uuidV5 } from '../../../src/core/sigma/sha1.ts';
import { corpus, sigmaRuleFiles } from '../../helpers/corpus.ts';
import { parse } from '../../helpers/documents.ts';
import { roundTripProblems } from './import-roundtrip.ts';

const RULE: Record<string, unknown> = {
  title: 'Suspicious Encoded PowerShell *Command* Line',
  id: 'ca2092a1-c273-4878-9b4b-0d60115bf5ea',
  related: [{ id: 'b6b49cd1-34d6-4ead-b1bf-176e9edba9a4', type: 'derived' }],
  status: 'test',
  description:
    'Detects `powershell` with <base64> encoded commands (e.g. Emotet) & friends\n\n# not a heading\n- not a list',
  references: ['https://example.com/a_b', 'https://example.com/two?x=1&y=2', 'Internal Research'],
  author: 'Florian Roth (Nextron Systems), daniel.bohannon@permiso.io (@danielhbohannon), https://github.com/x',
  date: '2018/09/03',
  modified: '2023-04-06',
  tags: [
    'attack.execution',
    'attack.t1059.001',
    'attack.stealth',
    'attack.g0016',
    'cve.2024-3400',
    'detection.threat-hunting',
  ],
  logsource: { category: 'process_creation', product: 'windows' },
  detection: {
    selection: { 'Image|endswith': ['\\powershell.exe', '\\pwsh.exe'], 'CommandLine|contains': ' -enc ' },
    filter: { ParentImage: null },
    condition: 'selection and not filter',
  },
  fields: ['CommandLine', 'ParentImage'],
  falsepositives: ['Admin scripts - https://docs.example.com/admin_scripts', 'Software *deployment* tools'],
  level: 'high',
  simulation: [{ type: 'atomic-red-team', name: 'x' }],
};

describe('importSigmaRule', () => {
  it('is deterministic: the same rule twice gives byte-identical documents', () => {
    const a = importSigmaRule(structuredClone(RULE), { source: 'rules/a.yml' });
    const b = importSigmaRule(structuredClone(RULE), { source: 'rules/a.yml' });
    expect(a.text).toBe(b.text);
    expect(a.path).toBe('detections/windows/suspicious-encoded-powershell-command-line.md');
  });

  it('writes a document the real pipeline accepts with no errors, and TODO warnings for the empty sections', () => {
    const { text, path } = importSigmaRule(RULE, { source: 'rules/a.yml', license: 'DRL-1.1', sigmaHQ: true });
    const { detection } = parse(text, path);
    expect(detection.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const todo = detection.sections.filter((s) => s.todo).map((s) => s.key);
    expect(todo).toEqual(['strategy-abstract', 'blind-spots-and-assumptions', 'validation', 'priority', 'response']);
    const fm = detection.frontmatter!;
    expect(fm).toMatchObject({
      id: RULE['id'],
      status: 'test',
      severity: 'high',
      owner: 'detection-engineering',
      created: '2018-09-03',
      modified: '2023-04-06',
      attack: ['T1059.001'],
      tactics: ['execution', 'stealth'],
      platform: 'windows',
      data_sources: ['windows process_creation'],
      tags: ['attack.g0016', 'cve.2024-3400', 'detection.threat-hunting'],
      source: { license: 'DRL-1.1', id: RULE['id'], url: 'rules/a.yml' },
    });
    expect(fm.generated).toMatch(/^[0-9a-f]{40}$/);
    expect(text).toContain('Detection Rule License 1.1');
    expect(text).toContain('](https://attack.mitre.org/techniques/T1059/001/)');
    expect(text).toContain('](https://attack.mitre.org/groups/G0016/)');
  });

  it('round-trips: toSigmaRule of the imported document gives the original rule back', () => {
    expect(roundTripProblems(structuredClone(RULE), { source: 'rules/a.yml', license: 'DRL-1.1' })).toEqual([]);
  });

  it('catches a lost value (the round-trip check can fail)', () => {
    const doc = importSigmaRule(RULE, { source: 'x' });
    const broken = doc.text.replace("'\\pwsh.exe'", "'\\cmd.exe'").replace('\\pwsh.exe', '\\cmd.exe');
    expect(broken).not.toBe(doc.text);
    expect(generatedState(broken)).toBe('edited');
  });

  it('gives an id-less rule a stable v5 UUID of title and path', () => {
    const rule = { ...RULE, id: undefined };
    const a = importSigmaRule(rule, { source: 'rules/a.yml' });
    const b = importSigmaRule(rule, { source: 'rules/b.yml' });
    expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.id).toBe(importSigmaRule(rule, { source: 'rules/a.yml' }).id);
    expect(a.id).not.toBe(b.id);
    expect(parse(a.text, a.path).detection.frontmatter?.source?.id).toBeUndefined();
  });

  it.each([
    ['stable', 'stable'],
    ['test', 'test'],
    ['experimental', 'experimental'],
    ['deprecated', 'deprecated'],
    ['unsupported', 'deprecated'],
    [undefined, 'experimental'],
  ])('maps status %s to %s', (from, to) => expect(mapStatus(from)).toBe(to));

  it.each([
    ['2023/01/15', '2023-01-15'],
    ['2023-01-15', '2023-01-15'],
    [undefined, undefined],
  ])('normalises date %s', (from, to) => expect(normaliseDate(from)).toBe(to));

  it.each([
    ['A, B (C), D', ['A', 'B (C)', 'D']],
    ['A,B', ['A,B']],
    ['', ['unknown']],
    [undefined, ['unknown']],
  ])('splits author %j', (from, to) => expect(splitAuthors(from)).toEqual(to));

  it('splits ATT&CK tags into techniques, accepted tactics and the rest', () => {
    expect(
      splitTags(['attack.t1003', 'attack.T1003.001', 'attack.persistence', 'attack.made-up', 'car.2016-04-005']),
    ).toEqual({
      attack: ['T1003', 'T1003.001'],
      tactics: ['persistence'],
      tags: ['attack.made-up', 'car.2016-04-005'],
    });
  });
});

describe('generatedState', () => {
  const { text } = importSigmaRule(RULE, { source: 'x' });
  it.each([
    ['untouched', text],
    ['edited', text.replace('## Priority\n\nTODO', '## Priority\n\nHigh: TODO')],
    ['edited', text + '\nA note.\n'],
    ['foreign', text.replace(/^generated: .*\n/m, '')],
  ])('%s', (state, input) => expect(generatedState(input)).toBe(state));
});

describe('sha1 and uuidV5', () => {
  it('match the reference values', () => {
    expect(sha1('abc')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(sha1('')).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });
});

const sigmahq = corpus('corpus/sigmahq');
/** Ids SigmaHQ accepts but that are not RFC 9562 UUIDs (bad version or variant nibble); zod's `z.uuid()` rejects them. */

describe.skipIf(!sigmahq.available)('import of the SigmaHQ corpus (rules*)', () => {
  it('round-trips every rule', { timeout: 600_000 }, () => {
    const files = sigmaRuleFiles(sigmahq.path);
    expect(files.length).toBe(3780);
    const failures: string[] = [];
    for (const file of files) {
      const [rule] = jsyaml.loadAll(readFileSync(file, 'utf8'), undefined, { schema: jsyaml.CORE_SCHEMA }) as Record<
        string,
        unknown
      >[];
      const problems = roundTripProblems(rule!, { source: file, license: 'DRL-1.1', sigmaHQ: true });
      if (problems.length) failures.push(`${file}: ${problems.join('; ')}`);
    }
    expect(failures).toEqual([]);
  });
});
