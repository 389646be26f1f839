/**
 * One diagnostic type for everything Loom reports. It maps one to one onto a
 * `VFileMessage` (reason, place, ruleId, source, fatal, url, expected, cause),
 * so the remark plugin, the CLI reporters and the site all speak the same language.
 */

/** How bad it is: `error` fails `loom check`; `warning` fails only past `--max-warnings`. */
export type Severity = 'error' | 'warning' | 'info';

/** A place in a file: 1-based line and column, 0-based UTF-16 offset when known. */
export interface Point {
  line: number;
  column: number;
  offset?: number;
}

/** A span in a file; `end` is exclusive. */
export interface Range {
  start: Point;
  end?: Point;
}

/** A second place that explains the first ("first defined here"). */
export interface RelatedPlace {
  message: string;
  file?: string;
  place?: Range;
}

/** A problem found in a detection, a Sigma rule or a catalog. */
export interface Diagnostic {
  /** Namespaced rule id, e.g. `ads/missing-section` or `sigma/unknown-modifier`. */
  ruleId: string;
  severity: Severity;
  /** "Unexpected X, expected Y", code in backticks. */
  message: string;
  /** Path of the file as the user gave it; filled by the loader when core does not know it. */
  file?: string;
  /** Where in the file; absent only when the problem is about the whole file. */
  place?: Range;
  /** Suggested replacements, best first (at most a few). */
  expected?: string[];
  /** Other places that explain this one. */
  related?: RelatedPlace[];
  /** Documentation for the rule. */
  url?: string;
}

/** Options for {@link diagnostic}. */
export interface DiagnosticInit {
  place?: Range | Point | undefined;
  expected?: string[] | undefined;
  related?: RelatedPlace[] | undefined;
  file?: string | undefined;
}

/** Builds a diagnostic; accepts a bare point for `place`. */
export function diagnostic(ruleId: string, severity: Severity, message: string, init: DiagnosticInit = {}): Diagnostic {
  const result: Diagnostic = { ruleId, severity, message };
  if (init.file !== undefined) result.file = init.file;
  if (init.place) result.place = 'start' in init.place ? init.place : { start: init.place };
  if (init.expected && init.expected.length > 0) result.expected = init.expected;
  if (init.related && init.related.length > 0) result.related = init.related;
  return result;
}

/** Puts code in backticks for a message, escaping nothing but showing empties. */
export function code(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text === '' ? '`` (empty)' : '`' + String(text) + '`';
}

/**
 * "Unexpected `X`, expected `Y`" with a near name when one exists, so every
 * message in Loom reads the same way.
 */
export function unexpected(what: string, expected: string): string {
  return `Unexpected ${what}, expected ${expected}`;
}

/** Orders diagnostics by file, line, column, then rule id, for stable output. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  const fa = a.file ?? '';
  const fb = b.file ?? '';
  if (fa !== fb) return fa < fb ? -1 : 1;
  const la = a.place?.start.line ?? 0;
  const lb = b.place?.start.line ?? 0;
  if (la !== lb) return la - lb;
  const ca = a.place?.start.column ?? 0;
  const cb = b.place?.start.column ?? 0;
  if (ca !== cb) return ca - cb;
  return a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0;
}

/** Counts diagnostics by severity. */
export function countBySeverity(diagnostics: readonly Diagnostic[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const d of diagnostics) counts[d.severity]++;
  return counts;
}
