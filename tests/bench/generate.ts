/**
 * Generates a synthetic catalog of realistic detections (about 4 KB each) for
 * benchmarks. Deterministic: the same count gives the same files.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PLATFORMS = ['windows', 'linux', 'macos', 'aws', 'azure', 'okta'];
const TACTICS = ['execution', 'persistence', 'defense-evasion', 'credential-access', 'discovery', 'lateral-movement'];

function uuid(i: number): string {
  const hex = (i * 2654435761 + 0x9e3779b9).toString(16).padStart(8, '0').slice(-8);
  return `${hex}-${String(i % 10000).padStart(4, '0')}-4${hex.slice(0, 3)}-8${hex.slice(3, 6)}-${String(i).padStart(12, '0')}`;
}

/** One detection document of about 4 KB. */
export function syntheticDetection(i: number): { path: string; text: string } {
  const platform = PLATFORMS[i % PLATFORMS.length]!;
  const title = `Synthetic Detection ${i} Suspicious ${platform} Activity`;
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const technique = `T${1000 + (i % 600)}`;
  const prose = (topic: string) =>
    `This paragraph explains the ${topic} of detection ${i} in enough words to resemble a real document. ` +
    `Analysts read it to understand why process \`tool${i}.exe\` matters, which data source feeds it, and what to do next. ` +
    `It mentions [a reference](https://example.org/${i}/${topic.replace(/ /g, '-')}) and *emphasis* so the parser works as it would.`;
  const text = `---
id: ${uuid(i)}
title: ${title}
status: ${i % 4 === 0 ? 'experimental' : i % 4 === 1 ? 'test' : 'stable'}
severity: ${['low', 'medium', 'high', 'critical'][i % 4]}
owner: team-${i % 7}
authors: [Bench Author]
created: 2025-0${1 + (i % 9)}-1${i % 10}
attack: [${technique}]
tactics: [${TACTICS[i % TACTICS.length]}]
platform: ${platform}
data_sources: [Sysmon Event ID 1]
tags: [synthetic]
---

# ${title}

## Goal

${prose('goal')}

## Categorization

${prose('categorization')}

## Strategy Abstract

${prose('strategy')}

## Technical Context

${prose('technical context')}

\`\`\`sigma
logsource:
  category: process_creation
  product: windows
detection:
  selection:
    Image|endswith: '\\\\tool${i}.exe'
    CommandLine|contains:
      - ' -enc '
      - ' -nop '
  filter:
    ParentImage|startswith: 'C:\\\\Program Files\\\\'
  condition: selection and not filter
\`\`\`

\`\`\`spl
index=sysmon EventCode=1 Image="*\\\\tool${i}.exe" (CommandLine="* -enc *" OR CommandLine="* -nop *")
\`\`\`

## Blind Spots and Assumptions

${prose('blind spots')}

## False Positives

${prose('false positives')}

## Validation

${prose('validation')}

\`\`\`json expect=match name="positive ${i}"
{"EventID": 1, "Image": "C:\\\\Temp\\\\tool${i}.exe", "CommandLine": "tool${i}.exe -enc AAAA", "ParentImage": "C:\\\\Windows\\\\explorer.exe"}
\`\`\`

\`\`\`json expect=no-match name="negative ${i}"
{"EventID": 1, "Image": "C:\\\\Temp\\\\tool${i}.exe", "CommandLine": "tool${i}.exe -enc AAAA", "ParentImage": "C:\\\\Program Files\\\\Agent\\\\agent.exe"}
\`\`\`

## Priority

${prose('priority')}

## Response

1. ${prose('first response step')}
2. Contain the host and collect triage data.

## Additional Resources

- https://attack.mitre.org/techniques/${technique}/
`;
  return { path: join(platform, `${slug}.md`), text };
}

/** Writes `count` detections into `dir` (reused when already complete). */
export function generateCatalog(dir: string, count: number): string {
  const marker = join(dir, `.complete-${count}`);
  if (existsSync(marker)) return dir;
  if (existsSync(dir)) rmSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const { path, text } = syntheticDetection(i);
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  writeFileSync(marker, '');
  return dir;
}

/** Number of .md files under a generated catalog (sanity check). */
export function countDocuments(dir: string): number {
  return readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.md')).length;
}
