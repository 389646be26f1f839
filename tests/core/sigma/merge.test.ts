import { describe, expect, it } from 'vitest';
import { VFile } from 'vfile';
import { parse as parseYaml } from 'yaml';
import { createDetectionProcessor } from '../../../src/catalog/processor.ts';
import type { Detection } from '../../../src/core/detection/model.ts';
import { toSigmaRule, writeSigmaYaml } from '../../../src/core/sigma/merge.ts';

const DOC = `---
id: 0e5b6a2e-3f4d-4c6b-9a1e-2f7d8c9b0a1d
title: Encoded PowerShell
status: test
severity: high
owner: soc
authors: [Ada, Bob]
created: 2024-01-02
modified: 2024-02-03
attack: [T1059.001]
tactics: [execution]
tags: [detection.threat-hunting]
---

# Goal

Detect PowerShell started with an encoded command.

# Technical Context

\`\`\`sigma
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\\powershell.exe'
        CommandLine|contains: ' -enc '
    condition: selection
\`\`\`

# False Positives

- Admin scripts that encode commands
- Software deployment tools

# Additional Resources

- [Blog](https://example.com/blog)
- <https://example.com/two>
`;

function detectionOf(text: string): Detection {
  const file = new VFile({ path: 'detections/windows/encoded-powershell.md', value: text });
  const processor = createDetectionProcessor();
  processor.runSync(processor.parse(file), file);
  return (file.data as { detection: Detection }).detection;
}

/** The Sigma detection-rule JSON Schema's constraints (v2.0), written as a check of our own. */
function schemaProblems(rule: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const key of ['title', 'logsource', 'detection']) if (!(key in rule)) problems.push(`missing ${key}`);
  if (typeof rule['title'] !== 'string' || rule['title'].length > 256) problems.push('title');
  if (
    rule['id'] !== undefined &&
    !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(String(rule['id']))
  )
    problems.push('id');
  if (
    rule['status'] !== undefined &&
    !['stable', 'test', 'experimental', 'deprecated', 'unsupported'].includes(String(rule['status']))
  )
    problems.push('status');
  if (
    rule['level'] !== undefined &&
    !['informational', 'low', 'medium', 'high', 'critical'].includes(String(rule['level']))
  )
    problems.push('level');
  for (const key of ['date', 'modified']) {
    if (rule[key] !== undefined && !/^\d{4}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])$/.test(String(rule[key])))
      problems.push(key);
  }
  for (const key of ['description', 'author', 'license'])
    if (rule[key] !== undefined && typeof rule[key] !== 'string') problems.push(key);
  const stringArray = (key: string, min = 0, unique = true, pattern?: RegExp) => {
    const value = rule[key];
    if (value === undefined) return;
    if (
      !Array.isArray(value) ||
      value.some((v) => typeof v !== 'string' || v.length < min || (pattern && !pattern.test(v)))
    )
      problems.push(key);
    else if (unique && new Set(value).size !== value.length) problems.push(`${key} unique`);
  };
  stringArray('references');
  stringArray('fields');
  stringArray('falsepositives', 2);
  stringArray('tags', 0, true, /^[a-z0-9_-]+\.[a-z0-9._-]+$/);
  const detection = rule['detection'] as Record<string, unknown>;
  if (!detection || typeof detection !== 'object' || typeof detection['condition'] !== 'string')
    problems.push('detection.condition');
  const logsource = rule['logsource'] as Record<string, unknown>;
  if (!logsource || typeof logsource !== 'object') problems.push('logsource');
  else
    for (const key of ['category', 'product', 'service', 'definition'])
      if (logsource[key] !== undefined && typeof logsource[key] !== 'string') problems.push(`logsource.${key}`);
  return problems;
}

describe('toSigmaRule', () => {
  it('merges frontmatter and prose into the block', () => {
    const detection = detectionOf(DOC);
    expect(detection.diagnostics.filter((d) => d.severity === 'error' && d.ruleId.startsWith('sigma/'))).toEqual([]);
    const rule = toSigmaRule(detection)!;
    expect(rule).toEqual({
      title: 'Encoded PowerShell',
      id: '0e5b6a2e-3f4d-4c6b-9a1e-2f7d8c9b0a1d',
      status: 'test',
      description: 'Detect PowerShell started with an encoded command.',
      references: ['https://example.com/blog', 'https://example.com/two'],
      author: 'Ada, Bob',
      date: '2024-01-02',
      modified: '2024-02-03',
      tags: ['attack.execution', 'attack.t1059.001', 'detection.threat-hunting'],
      logsource: { category: 'process_creation', product: 'windows' },
      detection: {
        selection: { 'Image|endswith': '\\powershell.exe', 'CommandLine|contains': ' -enc ' },
        condition: 'selection',
      },
      falsepositives: ['Admin scripts that encode commands', 'Software deployment tools'],
      level: 'high',
    });
    expect(Object.keys(rule)[0]).toBe('title');
    expect(schemaProblems(rule)).toEqual([]);
  });

  it('writes deterministic YAML that reads back to the same rule', () => {
    const rule = toSigmaRule(detectionOf(DOC))!;
    const text = writeSigmaYaml(rule);
    expect(writeSigmaYaml(rule)).toBe(text);
    expect(parseYaml(text)).toEqual(rule);
    expect(text).toContain('\n    - attack.t1059.001\n');
    expect(text.startsWith('title: Encoded PowerShell\n')).toBe(true);
  });

  it('the schema check catches what it should', () => {
    expect(schemaProblems({ title: 'x', logsource: {}, detection: {}, status: 'done', tags: ['Attack.T1'] })).toEqual([
      'status',
      'tags',
      'detection.condition',
    ]);
  });
});
