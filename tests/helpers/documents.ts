/** Builders of detection documents for tests: a valid one, and ways to break it. */
import { VFile } from 'vfile';
import { createDetectionProcessor } from '../../src/catalog/processor.ts';
import type { Detection } from '../../src/core/detection/model.ts';

const processor = createDetectionProcessor();

/** Parses Markdown through the real pipeline (remark + remark-detection). */
export function parse(
  markdown: string,
  path = 'detections/windows/encoded-powershell.md',
): { detection: Detection; file: VFile } {
  const file = new VFile({ path, value: markdown });
  processor.runSync(processor.parse(file), file);
  return { detection: file.data.detection!, file };
}

/** Frontmatter lines of a valid detection. */
export const FRONTMATTER = [
  'id: 0e5b6a2e-3f4d-4c6b-9a1e-2f7d8c9b0a1d',
  'title: Encoded PowerShell',
  'status: stable',
  'severity: high',
  'owner: soc',
  'authors: [Ada]',
  'created: 2026-01-15',
  'attack: [T1059.001]',
];

/** A valid, complete detection; `replace` swaps whole lines by their exact text. */
export function validDocument(replace: Record<string, string> = {}): string {
  const lines = [
    '---',
    ...FRONTMATTER,
    '---',
    '',
    '# Encoded PowerShell',
    '',
    '## Goal',
    '',
    'Detect encoded PowerShell.',
    '',
    '## Categorization',
    '',
    'Execution.',
    '',
    '## Strategy Abstract',
    '',
    'Process creation events.',
    '',
    '## Technical Context',
    '',
    '```sigma',
    'logsource:',
    '  category: process_creation',
    '  product: windows',
    'detection:',
    '  selection:',
    '    CommandLine|contains: " -enc "',
    '  condition: selection',
    '```',
    '',
    '```spl',
    'index=sysmon EventCode=1 CommandLine="* -enc *"',
    '```',
    '',
    '## Blind Spots and Assumptions',
    '',
    'Renamed binaries.',
    '',
    '## False Positives',
    '',
    'Management agents.',
    '',
    '## Validation',
    '',
    '```json expect=match name="encoded"',
    '{"CommandLine": "powershell -enc SQBFAFgA"}',
    '```',
    '',
    '```json expect=no-match',
    '[{"CommandLine": "powershell -File x.ps1"}, {"CommandLine": "cmd"}]',
    '```',
    '',
    '## Priority',
    '',
    'High.',
    '',
    '## Response',
    '',
    '1. Isolate.',
    '',
    '## Additional Resources',
    '',
    '- https://attack.mitre.org/techniques/T1059/001/',
    '',
  ];
  return lines.map((line) => (line in replace ? replace[line]! : line)).join('\n');
}
