/**
 * The ADS sections: their canonical names, the aliases real documents use,
 * and which ones each status requires.
 */
import type { Frontmatter } from './frontmatter.ts';

/** Canonical keys of the ten ADS sections, in document order. */
export const SECTION_KEYS = [
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
] as const;

/** One of the ten ADS sections. */
export type SectionKey = (typeof SECTION_KEYS)[number];

/** Heading text of each section as the guide writes it. */
export const SECTION_TITLES: Record<SectionKey, string> = {
  goal: 'Goal',
  categorization: 'Categorization',
  'strategy-abstract': 'Strategy Abstract',
  'technical-context': 'Technical Context',
  'blind-spots-and-assumptions': 'Blind Spots and Assumptions',
  'false-positives': 'False Positives',
  validation: 'Validation',
  priority: 'Priority',
  response: 'Response',
  'additional-resources': 'Additional Resources',
};

/** Other headings people write for the same section (compared after normalising). */
const ALIASES: Record<string, SectionKey> = {
  goal: 'goal',
  goals: 'goal',
  categorization: 'categorization',
  categorisation: 'categorization',
  category: 'categorization',
  'strategy abstract': 'strategy-abstract',
  strategy: 'strategy-abstract',
  abstract: 'strategy-abstract',
  'technical context': 'technical-context',
  'technical details': 'technical-context',
  context: 'technical-context',
  'blind spots and assumptions': 'blind-spots-and-assumptions',
  'blind spots': 'blind-spots-and-assumptions',
  'blindspots and assumptions': 'blind-spots-and-assumptions',
  blindspots: 'blind-spots-and-assumptions',
  assumptions: 'blind-spots-and-assumptions',
  'false positives': 'false-positives',
  'false positive': 'false-positives',
  validation: 'validation',
  'validation tests': 'validation',
  tests: 'validation',
  priority: 'priority',
  'alert priority': 'priority',
  severity: 'priority',
  response: 'response',
  'response steps': 'response',
  'additional resources': 'additional-resources',
  resources: 'additional-resources',
  references: 'additional-resources',
};

/** Normalises a heading for lookup: case, punctuation and spacing do not matter. */
export function normaliseHeading(text: string): string {
  return text
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Headings seen, and the section each names (a catalog repeats the same few hundred headings). */
const SECTION_OF = new Map<string, SectionKey | null>();

/** The section a heading names, or undefined. */
export function sectionForHeading(text: string): SectionKey | undefined {
  let key = SECTION_OF.get(text);
  if (key === undefined) {
    const name = normaliseHeading(text);
    key = Object.hasOwn(ALIASES, name) ? ALIASES[name]! : null;
    if (SECTION_OF.size >= 10_000) SECTION_OF.clear();
    SECTION_OF.set(text, key);
  }
  return key ?? undefined;
}

/** Every heading spelling that names a section, for suggestions. */
export const KNOWN_HEADINGS: readonly string[] = [...Object.values(SECTION_TITLES), 'Strategy', 'Blind Spots'];

/**
 * Sections each status requires (an error when missing). Other sections are
 * still expected: a missing one is a warning.
 */
export const REQUIRED_SECTIONS: Record<Frontmatter['status'], readonly SectionKey[]> = {
  experimental: ['goal', 'strategy-abstract'],
  test: [
    'goal',
    'categorization',
    'strategy-abstract',
    'technical-context',
    'false-positives',
    'validation',
    'response',
  ],
  stable: SECTION_KEYS,
  deprecated: ['goal'],
};
