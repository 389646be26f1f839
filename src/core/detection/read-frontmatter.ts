/**
 * Reads the YAML frontmatter: parses it with positions, validates it against
 * the schema and turns every problem into a positioned diagnostic.
 */
import { isMap, isScalar, parseDocument, type Document } from 'yaml';
import type { $ZodIssue } from 'zod/v4/core';
import { code, diagnostic, type Diagnostic, type Range } from '../diagnostics.ts';
import { suggest } from '../text/suggest.ts';
import { LineIndex, type TextSource } from '../text/source.ts';
import { fastFrontmatter } from './fast-frontmatter.ts';
import { FRONTMATTER_FIELDS as FRONTMATTER_KEYS } from './frontmatter-fields.ts';
import { frontmatterSchemaOrThrow } from './frontmatter-schema-slot.ts';
import type { Frontmatter } from './frontmatter.ts';
import { readSimpleMapping } from './simple-yaml.ts';

/** What reading the frontmatter gives. */
export interface FrontmatterResult {
  frontmatter: Frontmatter | null;
  raw: Record<string, unknown> | null;
  /** File line of each top-level key. */
  lines: Record<string, number>;
  diagnostics: Diagnostic[];
}

/** Validates frontmatter YAML found at `source` (the lines between the `---` fences). */
export function readFrontmatter(source: TextSource, fenceRange: Range): FrontmatterResult {
  const index = new LineIndex(source);
  // Most frontmatter is flat `key: value` lines: read those without building a YAML document.
  // Invalid frontmatter takes the full path, whose Document positions each schema issue.
  const simple = readSimpleMapping(source.text);
  if (simple) {
    // Valid frontmatter passes a hand-written check of the schema; zod decides (and explains) the rest.
    const valid = fastFrontmatter(simple.raw) ?? frontmatterSchemaOrThrow().safeParse(simple.raw).data;
    if (valid) {
      const { lines, diagnostics } = readKeys(simple.keys, index, fenceRange);
      return { frontmatter: valid, raw: simple.raw, lines, diagnostics };
    }
  }
  const diagnostics: Diagnostic[] = [];
  const doc = parseDocument(source.text, { prettyErrors: false, uniqueKeys: true });
  for (const error of doc.errors) {
    diagnostics.push(
      diagnostic('frontmatter/invalid-yaml', 'error', `Unexpected YAML: ${firstLine(error.message)}`, {
        place: index.range(error.pos[0], error.pos[1]),
      }),
    );
  }
  if (doc.errors.length > 0) return { frontmatter: null, raw: null, lines: {}, diagnostics };
  if (!isMap(doc.contents)) {
    const found = doc.contents === null ? 'empty frontmatter' : 'a YAML ' + kindOf(doc.toJS());
    diagnostics.push(
      diagnostic('frontmatter/not-a-mapping', 'error', `Unexpected ${found}, expected a mapping of keys (\`id: …\`)`, {
        place: fenceRange,
      }),
    );
    return { frontmatter: null, raw: null, lines: {}, diagnostics };
  }
  const raw = doc.toJS() as Record<string, unknown>;
  const keys = doc.contents.items.map((pair) => ({
    key: isScalar(pair.key) ? String(pair.key.value) : String(pair.key),
    start: isScalar(pair.key) ? pair.key.range?.[0] : undefined,
    end: isScalar(pair.key) ? pair.key.range?.[1] : undefined,
  }));
  const { lines, diagnostics: keyDiagnostics } = readKeys(keys, index, fenceRange);
  diagnostics.push(...keyDiagnostics);
  const parsed = frontmatterSchemaOrThrow().safeParse(raw);
  if (parsed.success) return { frontmatter: parsed.data, raw, lines, diagnostics };
  for (const issue of parsed.error.issues) diagnostics.push(issueDiagnostic(issue, raw, doc, index, fenceRange));
  return { frontmatter: null, raw, lines, diagnostics };
}

/** The file line of each top-level key, and a warning for each key the schema does not know. */
function readKeys(
  keys: readonly { key: string; start?: number | undefined; end?: number | undefined }[],
  index: LineIndex,
  fenceRange: Range,
): { lines: Record<string, number>; diagnostics: Diagnostic[] } {
  const lines: Record<string, number> = {};
  const diagnostics: Diagnostic[] = [];
  for (const { key, start, end } of keys) {
    if (start !== undefined) lines[key] = index.point(start).line;
    if (FRONTMATTER_KEYS.includes(key)) continue;
    const near = suggest(key, FRONTMATTER_KEYS);
    const range = start !== undefined && end !== undefined ? index.range(start, end) : fenceRange;
    diagnostics.push(
      diagnostic(
        'frontmatter/unknown-key',
        'warning',
        `Unexpected key ${code(key)}, expected ${near.length ? near.map(code).join(' or ') : 'one of ' + FRONTMATTER_KEYS.map(code).join(', ')}`,
        { place: range, expected: near },
      ),
    );
  }
  return { lines, diagnostics };
}

function issueDiagnostic(
  issue: $ZodIssue,
  raw: Record<string, unknown>,
  doc: Document,
  index: LineIndex,
  fenceRange: Range,
): Diagnostic {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  const field = String(path[0] ?? 'frontmatter');
  const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
  const place = node?.range ? index.range(node.range[0], node.range[1]) : fenceRange;
  const value = getPath(raw, path);
  if (value === undefined) {
    return diagnostic(
      'frontmatter/missing-field',
      'error',
      `Unexpected missing ${code(field)}, expected ${describe(issue)}`,
      {
        place,
      },
    );
  }
  let expected: string[] = [];
  if (issue.code === 'invalid_value' && typeof value === 'string') {
    expected = suggest(value, issue.values.map(String));
  }
  const shown = typeof value === 'string' ? code(value) : code(JSON.stringify(value));
  return diagnostic(
    `frontmatter/invalid-${field.replace(/_/g, '-')}`,
    'error',
    `Unexpected ${field} ${shown}, expected ${expected.length ? expected.map(code).join(' or ') : describe(issue)}`,
    { place, expected },
  );
}

function describe(issue: $ZodIssue): string {
  switch (issue.code) {
    case 'invalid_value':
      return 'one of ' + issue.values.map((v) => code(String(v))).join(', ');
    case 'invalid_type':
      return issue.expected === 'array' ? 'a list' : `a ${issue.expected}`;
    case 'too_small':
      return issue.origin === 'array' ? `at least ${issue.minimum} item(s)` : `at least ${issue.minimum} character(s)`;
    case 'too_big':
      return issue.origin === 'array' ? `at most ${issue.maximum} item(s)` : `at most ${issue.maximum} character(s)`;
    default:
      return issue.message;
  }
}

function getPath(value: unknown, path: PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'list';
  if (value === null) return 'null';
  return typeof value === 'string' ? 'string' : typeof value;
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
