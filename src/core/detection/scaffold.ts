/**
 * The text of a new detection document: every ADS section with a line of
 * guidance (a to-do marker, so `loom check` warns until it is written), an
 * empty sigma block and one sample of each kind.
 */
import { SECTION_KEYS, SECTION_TITLES, type SectionKey } from './sections.ts';

/** What a new detection needs to know. */
export interface ScaffoldInput {
  id: string;
  title: string;
  /** YYYY-MM-DD. */
  date: string;
  platform: string;
  owner: string;
  author: string;
}

const GUIDANCE: Record<SectionKey, string> = {
  goal: 'TODO: What behaviour does this detect, and why does it matter?',
  categorization:
    'TODO: Which ATT&CK tactics and techniques does it map to (keep `attack` in the frontmatter in step)?',
  'strategy-abstract': 'TODO: In a few sentences, how does the detection work: data, filters, what makes an alert?',
  'technical-context': 'TODO: How does the technique work, what data is needed and how is it collected?',
  'blind-spots-and-assumptions': 'TODO: What will this miss, and what does it assume about the environment?',
  'false-positives': 'TODO: Which benign activity matches, and how should it be tuned out?',
  validation: 'TODO: How can the detection be triggered on purpose? Keep the sample events below true.',
  priority: 'TODO: Why this severity? When should it be raised or lowered?',
  response: 'TODO: Numbered steps an analyst follows when this fires.',
  'additional-resources': 'TODO: Links to write-ups, tools and the rules this adapts.',
};

/** The Markdown of a new detection. */
export function scaffoldDetection(input: ScaffoldInput): string {
  const sections = SECTION_KEYS.map((key) => {
    const body = [GUIDANCE[key]];
    if (key === 'technical-context') {
      body.push(
        '',
        'The Sigma rule: `logsource:` and `detection:` with its `condition:` (metadata comes from the frontmatter).',
        '',
        '```sigma',
        '```',
      );
    }
    if (key === 'validation') {
      body.push(
        '',
        '```json expect=match name="TODO: an event the rule must match"',
        '{}',
        '```',
        '',
        '```json expect=no-match name="TODO: a benign lookalike the rule must ignore"',
        '{}',
        '```',
      );
    }
    return `## ${SECTION_TITLES[key]}\n\n${body.join('\n')}\n`;
  });
  const frontmatter = [
    '---',
    `id: ${input.id}`,
    `title: ${yamlString(input.title)}`,
    'status: experimental',
    'severity: medium',
    `owner: ${yamlString(input.owner)}`,
    `authors: [${yamlString(input.author)}]`,
    `created: ${input.date}`,
    `modified: ${input.date}`,
    'attack: []',
    'tactics: []',
    `platform: ${yamlString(input.platform)}`,
    'data_sources: []',
    'targets: []',
    'tags: []',
    '---',
  ].join('\n');
  return `${frontmatter}\n\n# ${input.title}\n\n${sections.join('\n')}`;
}

/** A YAML scalar: plain when safe, else double-quoted. */
function yamlString(value: string): string {
  return /^[A-Za-z0-9][\w .@()/-]*$/.test(value) && !/[:#]/.test(value) && !/^(true|false|null|yes|no|~)$/i.test(value)
    ? value
    : JSON.stringify(value);
}
