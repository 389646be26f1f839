/**
 * The frontmatter's vocabularies and keys, without zod: \`loom check\` reads
 * valid flat frontmatter with these alone and loads zod (~50 ms) only when
 * a document needs the schema (src/core/detection/frontmatter-schema-slot.ts).
 * tests/core/detection/frontmatter-fields.test.ts holds them to the schema.
 */

/** Lifecycle of a detection, as in Sigma. */
export const STATUSES = ['experimental', 'test', 'stable', 'deprecated'] as const;
/** Severity, the Sigma `level` vocabulary. */
export const SEVERITIES = ['informational', 'low', 'medium', 'high', 'critical'] as const;
/** ATT&CK Enterprise tactics by short name. */
export const TACTICS = [
  'reconnaissance',
  'resource-development',
  'initial-access',
  'execution',
  'persistence',
  'privilege-escalation',
  'defense-evasion',
  // ATT&CK v19 splits Defense Evasion into Stealth and Defense Impairment; SigmaHQ already tags with them.
  'stealth',
  'defense-impairment',
  'credential-access',
  'discovery',
  'lateral-movement',
  'collection',
  'command-and-control',
  'exfiltration',
  'impact',
] as const;

/** Every key of the frontmatter schema, in its order. */
export const FRONTMATTER_FIELDS: readonly string[] = [
  'id',
  'title',
  'status',
  'severity',
  'owner',
  'authors',
  'created',
  'modified',
  'attack',
  'tactics',
  'platform',
  'data_sources',
  'targets',
  'tags',
  'source',
  'generated',
];
