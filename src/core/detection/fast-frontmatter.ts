/**
 * A fast check of flat frontmatter (what `readSimpleMapping` in simple-yaml.ts returns:
 * strings and lists of strings) against the frontmatter schema. When every
 * field is valid it returns exactly what `frontmatterSchema.safeParse(raw).data`
 * returns (same keys in the same order, defaults filled in, unknown keys
 * dropped); when anything is off it returns `undefined` and the caller asks
 * zod, whose issues become the diagnostics. Zod costs ~30 µs a document;
 * this takes a few. tests/core/detection/fast-frontmatter.test.ts compares the two.
 */
import { SEVERITIES, STATUSES, TACTICS } from './frontmatter-fields.ts';
import type { Frontmatter } from './frontmatter.ts';

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TECHNIQUE = /^T\d{4}(\.\d{3})?$/;
const STATUS_SET: ReadonlySet<string> = new Set(STATUSES);
const SEVERITY_SET: ReadonlySet<string> = new Set(SEVERITIES);
const TACTIC_SET: ReadonlySet<string> = new Set(TACTICS);

type Flat = Readonly<Record<string, string | readonly string[]>>;

/** The validated frontmatter, or `undefined` when zod must decide (and explain). */
export function fastFrontmatter(raw: Flat): Frontmatter | undefined {
  const { id, title, status, severity, owner, authors, created, modified, attack, tactics, platform } = raw;
  if (typeof id !== 'string' || !GUID.test(id)) return undefined;
  if (typeof title !== 'string' || title.length < 3 || title.length > 200) return undefined;
  if (typeof status !== 'string' || !STATUS_SET.has(status)) return undefined;
  if (typeof severity !== 'string' || !SEVERITY_SET.has(severity)) return undefined;
  if (typeof owner !== 'string' || owner.length < 1) return undefined;
  if (!isList(authors) || authors.length < 1 || !authors.every(nonEmpty)) return undefined;
  if (!isDate(created)) return undefined;
  if (modified !== undefined && !isDate(modified)) return undefined;
  if (attack !== undefined && !(isList(attack) && attack.every((t) => TECHNIQUE.test(t)))) return undefined;
  if (tactics !== undefined && !(isList(tactics) && tactics.every((t) => TACTIC_SET.has(t)))) return undefined;
  if (platform !== undefined && !(typeof platform === 'string' && platform.length >= 1)) return undefined;
  const lists: Record<'data_sources' | 'targets' | 'tags', string[]> = { data_sources: [], targets: [], tags: [] };
  for (const key of ['data_sources', 'targets', 'tags'] as const) {
    const value = raw[key];
    if (value === undefined) continue;
    if (!isList(value) || !value.every(nonEmpty)) return undefined;
    lists[key] = value.slice();
  }
  // `source` is an object in the schema: a flat string is an error zod explains.
  if (raw['source'] !== undefined) return undefined;
  const generated = raw['generated'];
  if (generated !== undefined && typeof generated !== 'string') return undefined;

  // Zod's output: the schema's keys in order, optional ones only when given.
  const out: Record<string, unknown> = {
    id,
    title,
    status,
    severity,
    owner,
    authors: authors.slice(),
    created,
  };
  if (modified !== undefined) out['modified'] = modified;
  out['attack'] = attack === undefined ? [] : (attack as string[]).slice();
  out['tactics'] = tactics === undefined ? [] : (tactics as string[]).slice();
  if (platform !== undefined) out['platform'] = platform;
  out['data_sources'] = lists.data_sources;
  out['targets'] = lists.targets;
  out['tags'] = lists.tags;
  if (generated !== undefined) out['generated'] = generated;
  return out as Frontmatter;
}

function isList(value: string | readonly string[] | undefined): value is readonly string[] {
  return Array.isArray(value);
}

function nonEmpty(s: string): boolean {
  return typeof s === 'string' && s.length >= 1;
}

/**
 * `YYYY-MM-DD` naming a real calendar day (the schema's regex and its
 * refinement through `Date`, which V8 would let roll `02-30` over to March),
 * by arithmetic: month 1-12, day within the month, Gregorian leap years.
 */
function isDate(s: string | readonly string[] | undefined): s is string {
  if (typeof s !== 'string' || !DATE.test(s)) return false;
  const year = Number(s.slice(0, 4));
  const month = Number(s.slice(5, 7));
  const day = Number(s.slice(8, 10));
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 ? (leap ? 29 : 28) : DAYS_IN_MONTH[month - 1]!);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
