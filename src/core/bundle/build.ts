/**
 * Builds the rules bundle from parsed detections: rules.json, schema.json and
 * one merged Sigma YAML per detection. Pure: the caller supplies the hash
 * function and the commit, and writes the files. The same input always gives
 * byte-identical output (sorted, no timestamps).
 */
import type { Detection, QueryBlock, QueryLanguage } from '../detection/model.ts';
import type { Status } from './status.ts';
import { DEFAULT_STATUSES } from './status.ts';
import { mergedSigma, sigmaYaml } from './sigma.ts';
import { runDetectionTests, type DetectionTestResult } from '../sigma/evaluate/run-tests.ts';
import { pagePath } from './page.ts';
import {
  BUNDLE_FORMAT_VERSION,
  bundleJsonSchema,
  type Bundle,
  type BundleDetection,
  type BundleQuery,
} from './schema.ts';

/** The SIEM each query language belongs to. */
export const QUERY_TARGETS: Record<QueryLanguage, string> = {
  spl: 'splunk',
  kql: 'sentinel',
  esql: 'elastic',
  eql: 'elastic',
  lucene: 'elastic',
  sql: 'sql',
};

/** Options for {@link buildBundle}. */
export interface BundleOptions {
  /** Hex digest of a UTF-8 string (sha-256); supplied by the caller so the core stays pure. */
  sha256: (text: string) => string;
  /** Git commit of the catalog, when known. */
  commit?: string;
  /** Statuses to ship (default: test, stable, deprecated). */
  statuses?: readonly Status[];
  /** Base URL of the site; pages are site-relative paths without it. */
  siteUrl?: string;
  /** Run the sample events and include the results (default true). */
  tests?: boolean;
  /** Runs a detection's samples; lets a caller that also needs the results (the site) run them once. */
  runTests?: (detection: Detection) => DetectionTestResult;
}

/** The bundle's files: path (relative to the bundle folder) -> content. */
export interface BundleOutput {
  files: Map<string, string>;
  bundle: Bundle;
  /** Detections left out, with why. */
  skipped: { path: string; reason: string }[];
}

/** The logic hash: sha-256 over each sigma and query block's text, in document order. */
export function logicHash(detection: Detection, sha256: (text: string) => string): string {
  const parts = detection.blocks
    .filter((b) => b.kind === 'sigma' || b.kind === 'query')
    .map((b) => `${b.kind === 'query' ? b.language : 'sigma'}\n${b.source.text}`);
  return `sha256:${sha256(parts.join('\n\u0000\n'))}`;
}

function queries(detection: Detection): BundleQuery[] {
  return detection.blocks
    .filter((b): b is QueryBlock => b.kind === 'query')
    .map((b) => {
      const q: BundleQuery = {
        language: b.language,
        target: QUERY_TARGETS[b.language],
        origin: 'hand-written',
        query: b.source.text.replace(/\s+$/, ''),
      };
      if (b.attributes['name']) q.name = b.attributes['name'];
      return q;
    })
    .map((q, i) => ({ q, i }))
    .sort((a, b) => (a.q.language < b.q.language ? -1 : a.q.language > b.q.language ? 1 : a.i - b.i))
    .map(({ q }) => q);
}

/** Joins a base URL and a site path. */
function pageUrl(siteUrl: string | undefined, path: string): string {
  if (!siteUrl) return path;
  return siteUrl.replace(/\/+$/, '') + path;
}

/** One detection's bundle entry; undefined when it has no valid frontmatter. */
export function bundleDetection(detection: Detection, options: BundleOptions): BundleDetection | undefined {
  const fm = detection.frontmatter;
  if (!fm) return undefined;
  const entry: BundleDetection = {
    id: fm.id,
    title: fm.title,
    status: fm.status,
    deprecated: fm.status === 'deprecated',
    severity: fm.severity,
    attack: [...fm.attack],
    tactics: [...fm.tactics],
    data_sources: [...fm.data_sources],
    owner: fm.owner,
    path: detection.path,
    page: pageUrl(options.siteUrl, pagePath(detection)),
    logic_hash: logicHash(detection, options.sha256),
    sigma: mergedSigma(detection),
    queries: queries(detection),
  };
  if (fm.platform) entry.platform = fm.platform;
  if (options.tests !== false && detection.blocks.some((b) => b.kind === 'sample')) {
    const result = options.runTests
      ? options.runTests(detection)
      : runDetectionTests(detection, { requireSamplesFor: [] });
    const samples = result.samples.map((s) => ({ name: s.name, expect: s.expect, passed: s.passed }));
    const passed = samples.filter((s) => s.passed).length;
    entry.tests = { passed, failed: samples.length - passed, samples };
  }
  return entry;
}

/** Builds every file of the bundle. */
export function buildBundle(detections: readonly Detection[], options: BundleOptions): BundleOutput {
  const statuses = options.statuses ?? DEFAULT_STATUSES;
  const skipped: BundleOutput['skipped'] = [];
  const entries: BundleDetection[] = [];
  for (const detection of detections) {
    const status = detection.frontmatter?.status;
    if (!status) {
      skipped.push({ path: detection.path, reason: 'no valid frontmatter' });
      continue;
    }
    if (!statuses.includes(status)) {
      skipped.push({ path: detection.path, reason: `status \`${status}\` is not shipped` });
      continue;
    }
    const entry = bundleDetection(detection, options);
    if (entry) entries.push(entry);
  }
  entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const bundle: Bundle = {
    format_version: BUNDLE_FORMAT_VERSION,
    source: options.commit ? { commit: options.commit } : {},
    statuses: [...statuses].sort(),
    detections: entries,
  };
  const files = new Map<string, string>();
  files.set('rules.json', JSON.stringify(bundle, null, 2) + '\n');
  files.set('schema.json', JSON.stringify(bundleJsonSchema(), null, 2) + '\n');
  for (const entry of entries) if (entry.sigma.length) files.set(`sigma/${entry.id}.yml`, sigmaYaml(entry.sigma));
  skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, bundle, skipped };
}
