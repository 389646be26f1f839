/**
 * The frontmatter schema: metadata lives here once. Types are inferred from
 * the zod schema, never written twice; `schema/frontmatter.schema.json` is
 * generated from it for editors (`npm run schema`).
 */
import { z } from 'zod';

import { SEVERITIES, STATUSES, TACTICS } from './frontmatter-fields.ts';
import { provideFrontmatterSchema } from './frontmatter-schema-slot.ts';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine(
    (s) => !Number.isNaN(Date.parse(s + 'T00:00:00Z')) && new Date(s + 'T00:00:00Z').toISOString().startsWith(s),
    {
      message: 'a real calendar date',
    },
  );

const slugList = z.array(z.string().min(1));

/** The frontmatter of a detection document. */
export const frontmatterSchema = z.object({
  /** Stable identifier of the detection, forever (UUID). */
  // Any 8-4-4-4-12 hex id, as Sigma accepts: SigmaHQ has ids whose version digit is not an RFC 4122 one.
  id: z.guid({ message: 'a UUID such as `0e5b6a2e-3f4d-4c6b-9a1e-2f7d8c9b0a1d`' }),
  /** Human title; the file name is its slug. */
  title: z.string().min(3).max(200),
  /** Lifecycle status; decides which ADS sections are required. */
  status: z.enum(STATUSES),
  /** How urgent an alert is (Sigma `level`). */
  severity: z.enum(SEVERITIES),
  /** Team or person accountable for the detection. */
  owner: z.string().min(1),
  /** Who wrote it. */
  authors: z.array(z.string().min(1)).min(1),
  /** First written, YYYY-MM-DD. */
  created: isoDate,
  /** Last meaningful change, YYYY-MM-DD. */
  modified: isoDate.optional(),
  /** ATT&CK technique ids (`T1059`, `T1059.001`). */
  attack: z.array(z.string().regex(/^T\d{4}(\.\d{3})?$/, 'an ATT&CK technique id such as `T1059.001`')).default([]),
  /** ATT&CK tactics by short name (`execution`); derived from techniques when an ATT&CK bundle is configured. */
  tactics: z.array(z.enum(TACTICS)).default([]),
  /** Platform the detection watches (`windows`, `linux`, `macos`, `aws`, `azure`, `okta`, …). */
  platform: z.string().min(1).optional(),
  /** Log sources it needs, in words an engineer searches for (`Sysmon Event ID 1`). */
  data_sources: slugList.default([]),
  /** SIEMs it deploys to (`splunk`, `sentinel`, `elastic`, …). */
  targets: slugList.default([]),
  /** Free tags. */
  tags: slugList.default([]),
  /** Where the logic came from, when adapted from a public rule (credit and licence). */
  source: z
    .object({
      /** Original author(s) or project. */
      author: z.string().optional(),
      /** URL or path of the original rule. */
      url: z.string().optional(),
      /** Licence of the original rule (e.g. `DRL-1.1`). */
      license: z.string().optional(),
      /** Id of the original rule. */
      id: z.string().optional(),
    })
    .optional(),
  /** Hash of the generated content, set by `loom import` so a re-import never overwrites an edited file. */
  generated: z.string().optional(),
});

/** Frontmatter after validation and defaults. */
export type Frontmatter = z.infer<typeof frontmatterSchema>;

/** Every key the schema knows, for "unknown key" suggestions. */
export const FRONTMATTER_KEYS: readonly string[] = Object.keys(frontmatterSchema.shape);

/** Keys that must be present. */
export const REQUIRED_KEYS: readonly string[] = Object.entries(frontmatterSchema.shape)
  .filter(([, s]) => !s.safeParse(undefined).success)
  .map(([k]) => k);

// Documents whose frontmatter needs the schema read it from here (see frontmatter-schema-slot.ts).
provideFrontmatterSchema(frontmatterSchema);
