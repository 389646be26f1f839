/**
 * The shape of `rules.json`, the bundle the SIEM sync job reads. The zod
 * schema is the single source: `schema.json` is generated from it.
 */
import { z } from 'zod';
import { SEVERITIES, STATUSES } from '../detection/frontmatter-fields.ts';
import { QUERY_LANGUAGES } from '../detection/model.ts';

/** Version of the rules.json format; bump on any incompatible change. */
export const BUNDLE_FORMAT_VERSION = 1;

/** One hand-written (later: converted) query. */
export const bundleQuerySchema = z.object({
  /** Query language of the block (`spl`, `kql`, `esql`, …). */
  language: z.enum(QUERY_LANGUAGES),
  /** The SIEM the language belongs to (`splunk`, `sentinel`, `elastic`, …). */
  target: z.string(),
  /** Name from the info string, when given. */
  name: z.string().optional(),
  /** Where the query came from: written by hand in the document, or converted from Sigma. */
  origin: z.enum(['hand-written', 'converted']),
  /** The query text. */
  query: z.string(),
});

/** The result of one sample block. */
export const bundleSampleSchema = z.object({
  name: z.string(),
  expect: z.enum(['match', 'no-match']),
  passed: z.boolean(),
});

/** One detection of the bundle. */
export const bundleDetectionSchema = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(STATUSES),
  /** True when status is `deprecated`: the sync job should remove the rule. */
  deprecated: z.boolean(),
  severity: z.enum(SEVERITIES),
  platform: z.string().optional(),
  /** ATT&CK technique ids. */
  attack: z.array(z.string()),
  /** ATT&CK tactic short names. */
  tactics: z.array(z.string()),
  data_sources: z.array(z.string()),
  owner: z.string(),
  /** Path of the document in the repository. */
  path: z.string(),
  /** URL (or site-relative path) of the detection's page in the knowledge base. */
  page: z.string(),
  /** `sha256:<hex>` over the text of the sigma and query blocks, in document order. */
  logic_hash: z.string(),
  /** The merged Sigma rules, as JSON: the rule with its metadata, then any further documents (correlations). */
  sigma: z.array(z.record(z.string(), z.unknown())),
  /** Hand-written queries, sorted by language. */
  queries: z.array(bundleQuerySchema),
  /** Sample-event results, when the samples were run. */
  tests: z
    .object({
      passed: z.number().int().nonnegative(),
      failed: z.number().int().nonnegative(),
      samples: z.array(bundleSampleSchema),
    })
    .optional(),
});

/** The whole rules.json. */
export const bundleSchema = z.object({
  format_version: z.literal(BUNDLE_FORMAT_VERSION),
  source: z.object({
    /** Git commit of the catalog, when built in a git work tree. */
    commit: z.string().optional(),
  }),
  /** Statuses that were included. */
  statuses: z.array(z.enum(STATUSES)),
  detections: z.array(bundleDetectionSchema),
});

export type BundleQuery = z.infer<typeof bundleQuerySchema>;
export type BundleDetection = z.infer<typeof bundleDetectionSchema>;
export type Bundle = z.infer<typeof bundleSchema>;

/** The JSON Schema of rules.json (draft 2020-12), generated from the zod schema. */
export function bundleJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://loom.invalid/schema/rules.json',
    title: 'Loom rules bundle',
    ...z.toJSONSchema(bundleSchema, { io: 'output' }),
  };
}
