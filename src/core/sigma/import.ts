/**
 * `loom import sigma`, the pure part: one Sigma rule (a plain YAML file's
 * documents) -> the text of an ADS detection document, deterministically.
 *
 * Metadata goes to the frontmatter and the prose (Goal, Categorization, False
 * Positives, Additional Resources); everything else (logsource, detection,
 * fields, related, correlation, filter, any other key) stays in the `sigma`
 * block, so `toSigmaRule` of the document gives the original rule back.
 *
 * Decisions (src/docs/authoring.md, "Importing Sigma rules"):
 * - status: experimental/test/stable/deprecated as is; `unsupported` becomes
 *   `deprecated` (the frontmatter has no `unsupported`); none: `experimental`.
 * - severity: the `level`; none: `medium`.
 * - authors: `author` split at commas when joining them again with `, `
 *   gives the same text back; none: `unknown`.
 * - created/modified: `date`/`modified` with `/` normalised to `-`; no date:
 *   `modified`, else `1970-01-01`.
 * - id: the rule's id; none: a v5 UUID of title + source path.
 * - `generated`: SHA-1 of the document text without its `generated` line, so
 *   a re-import can tell an untouched document from an edited one.
 */
import { stringify } from 'yaml';
import { TACTICS } from '../detection/frontmatter-fields.ts';
import { SECTION_KEYS, SECTION_TITLES, type SectionKey } from '../detection/sections.ts';
import { slugify } from '../text/slug.ts';
import { writeSigmaYaml } from './merge.ts';
import { sha1, uuidV5 } from './sha1.ts';

/** Keys that live in the frontmatter or the prose, not in the sigma block. */
export const METADATA_KEYS: readonly string[] = [
  'title',
  'id',
  'status',
  'level',
  'description',
  'references',
  'author',
  'date',
  'modified',
  'tags',
  'falsepositives',
  'license',
];

/** Namespace of the v5 UUIDs given to rules without an id. */
export const LOOM_NAMESPACE = '5c1f6a8e-2b0d-4d7e-9a43-6f0e1b7c3d21';

const TACTIC_IDS: Record<string, string> = {
  reconnaissance: 'TA0043',
  'resource-development': 'TA0042',
  'initial-access': 'TA0001',
  execution: 'TA0002',
  persistence: 'TA0003',
  'privilege-escalation': 'TA0004',
  'defense-evasion': 'TA0005',
  'credential-access': 'TA0006',
  discovery: 'TA0007',
  'lateral-movement': 'TA0008',
  collection: 'TA0009',
  'command-and-control': 'TA0011',
  exfiltration: 'TA0010',
  impact: 'TA0040',
};

/** What the importer needs besides the rule. */
export interface ImportOptions {
  /** Where the rule came from: a URL or a path (frontmatter `source.url`, the credit line). */
  source: string;
  /** Licence of the checkout the rule came from (`DRL-1.1` for SigmaHQ); the rule's own `license` wins. */
  license?: string;
  /** Whether the rule came from a SigmaHQ checkout (for the credit line). */
  sigmaHQ?: boolean;
  /** Frontmatter `owner` (default `detection-engineering`). */
  owner?: string;
}

/** The imported document. */
export interface ImportedDocument {
  /** `detections/<platform>/<slug>.md`. */
  path: string;
  text: string;
  id: string;
  title: string;
}

const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(str).filter((s): s is string => s !== undefined) : str(v) !== undefined ? [str(v)!] : [];

/** `2023/01/15` -> `2023-01-15`. */
export function normaliseDate(value: string | undefined): string | undefined {
  return value?.trim().replace(/^(\d{4})\/(\d{2})\/(\d{2})$/, '$1-$2-$3');
}

/** Splits Sigma's `author` into names, only when that loses nothing. */
export function splitAuthors(author: string | undefined): string[] {
  if (!author?.trim()) return ['unknown'];
  const parts = author.split(',').map((a) => a.trim());
  return parts.every((p) => p.length > 0) && parts.join(', ') === author.trim() ? parts : [author.trim()];
}

/** Maps a Sigma status to the frontmatter's. */
export function mapStatus(status: string | undefined): 'experimental' | 'test' | 'stable' | 'deprecated' {
  if (status === 'test' || status === 'stable' || status === 'deprecated' || status === 'experimental') return status;
  if (status === 'unsupported') return 'deprecated';
  return 'experimental';
}

/** Escapes text so Markdown shows it, and `mdast-util-to-string` gives it back, as written. */
export function escapeMarkdown(text: string): string {
  return text
    .split('\n')
    .map((line) =>
      line
        .trim()
        .replace(/[\\`*_[\]<>#~|&:@]/g, '\\$&')
        .replace(/\b(www)\./gi, '$1\\.')
        .replace(/^([-+=]|\d+(?=[.)]))/, (m) => (/^\d/.test(m) ? m.replace(/(\d)$/, '$1\\') : '\\' + m)),
    )
    .join('\n');
}

/**
 * Text that must stay text where links are collected (the credit line in
 * Additional Resources): GFM turns e-mail addresses and URLs in plain text
 * into links even when escaped, so those go in inline code.
 */
export function literal(text: string): string {
  if (!/@|:\/\/|www\./i.test(text)) return escapeMarkdown(text);
  const ticks = '`'.repeat(Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length)) + 1);
  return `${ticks} ${text.replace(/\s+/g, ' ')} ${ticks}`;
}

/** A Markdown list item linking to `url`. */
function linkItem(url: string): string {
  if (/^[a-z][a-z0-9+.-]{1,31}:[^\s<>\\]*$/i.test(url)) return `- <${url}>`;
  return `- [${escapeMarkdown(url)}](<${url.replace(/[\\<>]/g, '\\$&')}>)`;
}

/** ATT&CK pieces of a rule's tags. */
export function splitTags(tags: readonly string[]): { attack: string[]; tactics: string[]; tags: string[] } {
  const attack: string[] = [];
  const tactics: string[] = [];
  const rest: string[] = [];
  for (const tag of tags) {
    const technique = /^attack\.(t\d{4}(?:\.\d{3})?)$/i.exec(tag);
    const tactic = /^attack\.([a-z-]+)$/.exec(tag);
    if (technique) {
      const id = technique[1]!.toUpperCase();
      if (!attack.includes(id)) attack.push(id);
    } else if (tactic && (TACTICS as readonly string[]).includes(tactic[1]!)) {
      if (!tactics.includes(tactic[1]!)) tactics.push(tactic[1]!);
    } else if (!rest.includes(tag)) rest.push(tag);
  }
  return { attack, tactics, tags: rest };
}

function categorization(attack: string[], tactics: string[], tags: string[]): string[] {
  const lines: string[] = [];
  for (const t of tactics) {
    const id = TACTIC_IDS[t];
    const name = t.replace(/-/g, ' ').replace(/\b[a-z]/g, (c) => c.toUpperCase());
    lines.push(
      `- Tactic: [${name}](${id ? `https://attack.mitre.org/tactics/${id}/` : 'https://attack.mitre.org/tactics/enterprise/'})`,
    );
  }
  for (const t of attack)
    lines.push(`- Technique: [${t}](https://attack.mitre.org/techniques/${t.replace('.', '/')}/)`);
  for (const tag of tags) {
    const m = /^attack\.([gs])(\d{4})$/i.exec(tag);
    if (m) {
      const kind = m[1]!.toLowerCase() === 'g' ? 'groups' : 'software';
      const id = m[1]!.toUpperCase() + m[2]!;
      lines.push(`- ${kind === 'groups' ? 'Group' : 'Software'}: [${id}](https://attack.mitre.org/${kind}/${id}/)`);
    }
  }
  const other = tags.filter((t) => !/^attack\.[gs]\d{4}$/i.test(t));
  if (!lines.length && !other.length) return [];
  const out = lines.length ? ['The Sigma rule maps to these ATT&CK tactics and techniques:', '', ...lines] : [];
  if (other.length) {
    if (out.length) out.push('');
    out.push(`Other tags of the Sigma rule: ${other.map((t) => escapeMarkdown(t)).join(', ')}.`);
  }
  return out;
}

/** The frontmatter YAML (between the fences). */
function frontmatterYaml(fm: Record<string, unknown>): string {
  return stringify(fm, { lineWidth: 0, version: '1.2' });
}

/** The text of a document with its `generated:` frontmatter line removed (what the hash covers). */
export function withoutGenerated(text: string): string {
  const end = text.indexOf('\n---', 4);
  const head = end < 0 ? text : text.slice(0, end + 1);
  return head.replace(/^generated: .*\n/m, '') + (end < 0 ? '' : text.slice(end + 1));
}

/** The `generated` value a document carries, if any. */
export function generatedHash(text: string): string | undefined {
  const end = text.indexOf('\n---', 4);
  const m = /^generated: ['"]?([0-9a-f]{40})['"]?\s*$/m.exec(end < 0 ? text : text.slice(0, end));
  return m?.[1];
}

/**
 * Whether a document on disk is an untouched import (`untouched`), an import
 * edited since (`edited`), or not an import at all (`foreign`).
 */
export function generatedState(text: string): 'untouched' | 'edited' | 'foreign' {
  const hash = generatedHash(text);
  if (!hash) return 'foreign';
  return sha1(withoutGenerated(text)) === hash ? 'untouched' : 'edited';
}

/**
 * Imports one Sigma file's documents (a rule, or a correlation or filter with
 * the rules it needs): metadata of the first into the frontmatter and prose,
 * the rest into one sigma block.
 */
export function importSigmaRule(
  documents: Record<string, unknown> | readonly Record<string, unknown>[],
  options: ImportOptions,
): ImportedDocument {
  const docs = Array.isArray(documents) ? documents : [documents as Record<string, unknown>];
  const raw = docs[0]!;
  const title = str(raw['title'])?.trim() || 'Untitled Sigma rule';
  const id = str(raw['id'])?.trim() || uuidV5(`${title}\n${options.source}`, LOOM_NAMESPACE);
  const logsource = (raw['logsource'] ?? {}) as Record<string, unknown>;
  const platform =
    slugify(
      str(logsource['product']) ??
        str(logsource['service']) ??
        str(logsource['category']) ??
        String(raw['correlation'] ? 'correlation' : 'other'),
    ) || 'other';
  const { attack, tactics, tags } = splitTags(strings(raw['tags']));
  const authors = splitAuthors(str(raw['author']));
  const modified = normaliseDate(str(raw['modified']));
  const created = normaliseDate(str(raw['date'])) ?? modified ?? '1970-01-01';
  const license = str(raw['license']) ?? options.license;
  const dataSources = [
    [logsource['product'], logsource['category'], logsource['service']].map(str).filter(Boolean).join(' '),
  ].filter((s) => s.length > 0);
  const source: Record<string, string> = { author: str(raw['author']) ?? 'unknown', url: options.source };
  if (license) source['license'] = license;
  if (str(raw['id'])) source['id'] = str(raw['id'])!;
  const fm: Record<string, unknown> = {
    id,
    title,
    status: mapStatus(str(raw['status'])),
    severity: str(raw['level']) ?? 'medium',
    owner: options.owner ?? 'detection-engineering',
    authors,
    created,
  };
  if (modified) fm['modified'] = modified;
  fm['attack'] = attack;
  fm['tactics'] = tactics;
  fm['platform'] = platform;
  fm['data_sources'] = dataSources;
  fm['tags'] = tags;
  fm['source'] = source;

  // The sigma block: every key the frontmatter and prose do not carry.
  const logic: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) if (!METADATA_KEYS.includes(key)) logic[key] = value;
  const block = writeSigmaYaml([logic, ...docs.slice(1)]).trimEnd();

  const description = str(raw['description'])?.trim();
  const falsePositives = strings(raw['falsepositives']).filter((f) => f.trim().length >= 2);
  const references = strings(raw['references']);
  const credit =
    `Imported from ${options.sigmaHQ ? 'SigmaHQ' : 'Sigma'} rule ${literal(title)} (${literal(options.source)})` +
    ` by ${literal(str(raw['author']) ?? 'unknown')}` +
    (license ? `, ${license === 'DRL-1.1' ? 'Detection Rule License 1.1' : escapeMarkdown(license)}` : '') +
    '.';
  const body: Partial<Record<SectionKey, string[]>> = {
    goal: description ? [escapeMarkdown(description)] : [],
    categorization: categorization(attack, tactics, tags),
    'technical-context': [
      'The Sigma rule (its metadata lives in the frontmatter and the sections of this document):',
      '',
      '```sigma',
      block,
      '```',
    ],
    'false-positives': falsePositives.map((f) => `- ${escapeMarkdown(f).replace(/\n/g, ' ')}`),
    'additional-resources': [...references.map(linkItem), ...(references.length ? [''] : []), credit],
  };
  const todo: Record<SectionKey, string> = {
    goal: 'TODO: What behaviour does this detect, and why does it matter? (the Sigma rule has no description)',
    categorization: 'TODO: Which ATT&CK tactics and techniques does it map to? (the Sigma rule has no ATT&CK tags)',
    'strategy-abstract': 'TODO: In a few sentences, how does the detection work: data, filters, what makes an alert?',
    'technical-context': 'TODO: How does the technique work, what data is needed and how is it collected?',
    'blind-spots-and-assumptions': 'TODO: What will this miss, and what does it assume about the environment?',
    'false-positives': 'TODO: Which benign activity matches, and how should it be tuned out?',
    validation:
      'TODO: How can the detection be triggered on purpose? Add `expect=match` and `expect=no-match` samples.',
    priority: `TODO: Why severity \`${String(fm['severity'])}\`? When should it be raised or lowered?`,
    response: 'TODO: Numbered steps an analyst follows when this fires.',
    'additional-resources': 'TODO: Links to write-ups, tools and the rules this adapts.',
  };
  const sections = SECTION_KEYS.map((key) => {
    const content = body[key]?.length ? body[key]! : [todo[key]];
    return `## ${SECTION_TITLES[key]}\n\n${content.join('\n')}\n`;
  });
  const front = frontmatterYaml(fm);
  const rest = `---\n\n# ${escapeMarkdown(title)}\n\n${sections.join('\n')}`;
  // The hash covers the document without its `generated` line (always quoted: hex can look like a number).
  const final = `---\n${front}generated: '${sha1(`---\n${front}${rest}`)}'\n${rest}`;
  return { path: `detections/${platform}/${slugify(title) || 'untitled'}.md`, text: final, id, title };
}
