import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Code, RootContent } from 'mdast';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.ts';
import { runDetectionTests } from '../../src/core/sigma/evaluate/run-tests.ts';
import { attackNamesFromStix } from '../../src/site/attack.ts';
import { editUrl, siteConfig } from '../../src/site/config.ts';
import { nodesToHtml } from '../../src/site/markdown.ts';
import {
  attackMatrix,
  dataSourceIndex,
  detectionPage,
  facets,
  indexRows,
  tacticName,
  techniqueUrl,
} from '../../src/site/pages.ts';
import { parse, validDocument } from '../helpers/documents.ts';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../..');
const catalog = loadCatalog(['tests/fixtures/site-catalog'], { cwd: repo });
const rows = indexRows(catalog.detections);
const plain = (code: string, lang: string | null | undefined) => `<pre data-lang="${lang}">${code.length}</pre>`;

function html(markdown: string): string {
  const d = parse(validDocument({ 'Detect encoded PowerShell.': markdown })).detection;
  return nodesToHtml(d.sections.find((s) => s.key === 'goal')!.nodes, (c: Code) => `<pre>${c.lang}</pre>`);
}

describe('nodesToHtml sanitizes detection content', () => {
  it.each([
    ['<script>alert(1)</script> text', /<script/i],
    ['<img src="x" onerror="alert(1)">', /onerror/i],
    ['[x](javascript:alert(1))', /javascript:/i],
    ['<a href="javascript:alert(1)">x</a>', /javascript:/i],
    ['[x](vbscript:msgbox)', /vbscript:/i],
    ['<iframe src="https://evil.example"></iframe>', /<iframe/i],
    ['<style>body{display:none}</style>', /<style/i],
  ])('drops the dangerous part of %s', (input, bad) => {
    expect(html(input)).not.toMatch(bad);
  });

  it.each([
    ['**bold** and `code`', '<strong>bold</strong> and <code>code</code>'],
    [
      '[ATT&CK](https://attack.mitre.org/)',
      '<a href="https://attack.mitre.org/" rel="noopener noreferrer">ATT&#x26;CK</a>',
    ],
    ['- one\n- two', '<li>one</li>'],
    ['| a | b |\n| - | - |\n| 1 | 2 |', '<td>1</td>'],
  ])('keeps %s', (input, expected) => {
    expect(html(input)).toContain(expected);
  });

  it('hands fenced code to the renderer, in order', () => {
    const nodes: RootContent[] = [
      { type: 'code', lang: 'spl', value: 'a' },
      { type: 'paragraph', children: [{ type: 'text', value: 'between' }] },
      { type: 'code', lang: 'kql', value: 'b' },
    ];
    expect(nodesToHtml(nodes, (c) => `<pre class="x">${c.lang}</pre>`)).toBe(
      '<pre class="x">spl</pre>\n<p>between</p>\n<pre class="x">kql</pre>',
    );
  });
});

describe('index rows and facets', () => {
  it('makes one row per detection, sorted by title', () => {
    expect(rows.map((r) => r.title)).toEqual([
      'Encoded PowerShell Fixture',
      'Experimental Curl Pipe Fixture',
      'Hostile Markup Fixture',
      'Legacy Certutil Download Fixture',
    ]);
    expect(rows[0]).toMatchObject({
      href: '/detections/windows/encoded-powershell-fixture/',
      severityRank: 3,
      attack: ['T1059.001', 'T1027'],
      dataSources: ['Sysmon Event ID 1'],
      modified: '2026-02-01',
    });
  });

  it('counts facet values, in ATT&CK and status order', () => {
    const f = Object.fromEntries(facets(rows).map((x) => [x.key, x.values.map((v) => `${v.value}:${v.count}`)]));
    expect(f['tactic']).toEqual(['execution:2', 'defense-evasion:2', 'command-and-control:1']);
    expect(f['status']).toEqual(['experimental:1', 'test:1', 'stable:1', 'deprecated:1']);
    expect(f['severity']).toEqual(['critical:1', 'high:1', 'medium:1', 'low:1']);
    expect(f['platform']).toEqual(['linux:1', 'windows:3']);
    expect(f['datasource']).toContain('Sysmon Event ID 1:3');
    expect(f['owner']).toEqual(['red-team:1', 'soc-linux:1', 'soc-windows:2']);
  });

  it('indexes data sources', () => {
    expect(dataSourceIndex(rows).map((d) => `${d.name}:${d.rows.length}`)).toEqual([
      'auditd:1',
      'Sysmon Event ID 1:3',
      'Windows Security Event ID 4688:1',
    ]);
  });
});

describe('detection pages', () => {
  const hostile = catalog.detections.find((d) => d.path.includes('hostile'))!;
  const page = detectionPage(hostile, {
    highlight: plain,
    tests: runDetectionTests(hostile, { requireSamplesFor: [] }),
    editUrl: 'https://git.example/edit/main/x.md',
  })!;

  it('renders every ADS section with a unique anchor', () => {
    expect(page.sections.map((s) => s.key)).toEqual([
      'goal',
      'categorization',
      'strategy-abstract',
      'technical-context',
      'blind-spots-and-assumptions',
      'false-positives',
      'validation',
      'priority',
      'response',
      'additional-resources',
    ]);
    expect(new Set(page.sections.map((s) => s.anchor)).size).toBe(page.sections.length);
  });

  it('labels the logic and samples, with expectation and result', () => {
    const all = page.sections.map((s) => s.html).join('\n');
    expect(all).toContain('<span class="code-label">Sigma</span>');
    expect(all).toContain('<pre data-lang="sigma">');
    expect(all).toContain('<span class="code-label">Splunk SPL</span>');
    expect(all).toContain('<pre data-lang="kql">');
    expect(all).toMatch(
      /Sample: the attack<\/span><span class="badge expect-match">expect match<\/span><span class="badge pass">passes/,
    );
    expect(all).toMatch(/Sample: benign lookalike<\/span><span class="badge expect-no-match">/);
    expect((all.match(/class="copy"/g) ?? []).length).toBe(7);
    expect(all).not.toMatch(/<script|javascript:|onerror/i);
    expect(page.samples).toHaveLength(4);
    expect(page.samples.every((s) => s.passed === true)).toBe(true);
    expect(page.mergedSigmaHtml).toContain('data-lang="yaml"');
    expect(page.editUrl).toBe('https://git.example/edit/main/x.md');
  });

  it('marks a failing sample', () => {
    const d = parse(
      validDocument({ '{"CommandLine": "powershell -enc SQBFAFgA"}': '{"CommandLine": "calc"}' }),
    ).detection;
    const p = detectionPage(d, { highlight: plain, tests: runDetectionTests(d) })!;
    expect(p.sections.find((s) => s.key === 'validation')!.html).toContain('<span class="badge fail">fails</span>');
    expect(p.samples[0]).toMatchObject({ name: 'encoded', passed: false });
  });

  it('has no page without valid frontmatter', () => {
    const d = parse(validDocument({ 'status: stable': 'status: nope' })).detection;
    expect(detectionPage(d, { highlight: plain })).toBeUndefined();
  });
});

describe('ATT&CK matrix', () => {
  it('falls back to declared ids without a bundle, sub-techniques rolled into the parent', () => {
    const m = attackMatrix(rows);
    expect(m.map((c) => c.tactic)).toEqual(['execution', 'defense-evasion', 'command-and-control']);
    const execution = m[0]!;
    expect(execution.cells.map((c) => `${c.id}:${c.detections.length}:${c.best}`)).toEqual([
      'T1027:1:stable',
      'T1059:2:stable',
    ]);
    expect(execution.cells[1]!.level).toBe(2);
    expect(m[2]!.cells[0]).toMatchObject({ id: 'T1105', best: 'deprecated', level: 1 });
  });

  it('uses names and placement from a STIX bundle, and shows gaps', () => {
    const stix = {
      objects: [
        { type: 'x-mitre-tactic', x_mitre_shortname: 'execution', name: 'Execution' },
        {
          type: 'attack-pattern',
          name: 'Command and Scripting Interpreter',
          external_references: [{ source_name: 'mitre-attack', external_id: 'T1059' }],
          kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'execution' }],
        },
        {
          type: 'attack-pattern',
          name: 'Native API',
          external_references: [{ source_name: 'mitre-attack', external_id: 'T1106' }],
          kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'execution' }],
        },
        {
          type: 'attack-pattern',
          name: 'Old',
          revoked: true,
          external_references: [{ source_name: 'mitre-attack', external_id: 'T1999' }],
          kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'execution' }],
        },
      ],
    };
    const names = attackNamesFromStix(stix);
    expect(names.techniques.has('T1999')).toBe(false);
    const execution = attackMatrix(rows, names).find((c) => c.tactic === 'execution')!;
    expect(execution.cells.map((c) => `${c.id} ${c.name} ${c.level}`)).toEqual([
      'T1059 Command and Scripting Interpreter 2',
      'T1106 Native API 0',
      'T1027 T1027 1',
    ]);
    expect(execution.covered).toBe(2);
  });

  const bundle = join(repo, '../shared/attack/enterprise-attack-18.1.json');
  if (!existsSync(bundle)) console.log(`skipping the ATT&CK 18.1 bundle test: ${bundle} is absent`);
  it.skipIf(!existsSync(bundle) && !process.env['CI'])('reads the ATT&CK 18.1 enterprise bundle', () => {
    const names = attackNamesFromStix(JSON.parse(readFileSync(bundle, 'utf8')));
    expect(names.techniques.get('T1059.001')?.name).toBe('PowerShell');
    expect(names.tactics.get('defense-evasion')).toBe('Defense Evasion');
    expect(tacticName('command-and-control', names)).toBe('Command and Control');
  });
});

describe('config and links', () => {
  it.each([
    [{}, 'detections', undefined],
    [
      { LOOM_DETECTIONS: 'x/y', LOOM_REPO_URL: 'https://github.com/o/r/' },
      'x/y',
      'https://github.com/o/r/edit/main/detections/windows/a b.md',
    ],
    [
      { LOOM_REPO_URL: 'https://gitlab.example/o/r', LOOM_REPO_BRANCH: 'dev' },
      'detections',
      'https://gitlab.example/o/r/edit/dev/detections/windows/a b.md',
    ],
  ])('%j', (env, detections, url) => {
    const config = siteConfig(env);
    expect(config.detections).toBe(detections);
    const got = editUrl(config, 'detections/windows/a b.md');
    expect(got === undefined ? undefined : decodeURIComponent(got)).toBe(url);
  });

  it('links techniques to attack.mitre.org', () => {
    expect(techniqueUrl('T1059.001')).toBe('https://attack.mitre.org/techniques/T1059/001/');
    expect(techniqueUrl('T1105')).toBe('https://attack.mitre.org/techniques/T1105/');
    expect(tacticName('command-and-control')).toBe('Command and Control');
  });
});
