/**
 * Compiles one field matcher (`Field|mod1|mod2: values`) to a test over an
 * event, following the Sigma value semantics: case-insensitive unless `cased`,
 * wildcards and escapes, a list means any value unless `all`, numbers equal to
 * numeric strings, null means absent or null, and every modifier of the
 * specification's appendix. Each matcher also reports an anchor: literal
 * substrings one of which must occur in a field when the matcher holds, which
 * the rule index uses to skip rules that cannot match.
 */
import { diagnostic, type Diagnostic, type Range } from '../../diagnostics.ts';
import { fieldSlot, LoweredString, scalarText, type EventView } from '../../events/view.ts';

export { LoweredString };
import type { FieldMatcher, SigmaValue } from '../model.ts';
import { parseCidr, inNetwork } from './cidr.ts';
import { base64, base64Offsets, latin1, utf16, windash, type Encoded } from './encode.ts';
import {
  compilePattern,
  plainText,
  tokenize,
  wrap,
  literalTokens,
  type Pattern,
  type PatternToken,
} from './pattern.ts';
import { compileSafeRegex, regexMinLength, requiredLiterals } from './regex.ts';
import { NeedleSet } from './aho-corasick.ts';
import { isAscii } from '../../text/ascii.ts';

/**
 * Needles one of which must occur (lower-case) in a field's text when a matcher holds (field `''`: any string of the
 * event), or numbers the field must equal (`EventID: 4104` holds only when the field's value is that number).
 */
export interface Anchor {
  alternatives: AnchorAlternative[];
}

/** One alternative of an anchor: a substring of the field's lower-cased text, or a number the field equals. */
export type AnchorAlternative = { field: string; needle: string } | { field: string; number: number };

/** A value's anchor alternatives: needles (strings) and numbers, one of which occurs when the value matches. */
type Needle = string | number;

/** How selective a needle is: its length; a number (an exact value) counts as a long needle. */
export function needleLength(needle: Needle): number {
  return typeof needle === 'number' ? NUMBER_NEEDLE_LENGTH : needle.length;
}

const NUMBER_NEEDLE_LENGTH = 8;

/** A compiled matcher: its test and, when one exists, its anchor. */
export interface CompiledMatcher {
  test: (ev: EventView) => boolean;
  anchor: Anchor | null;
}

/** Evaluator options that change what values mean. */
export interface MatchOptions {
  /** Values for `expand` placeholders (`%Admins%` -> list). Unknown placeholders never match and are reported. */
  placeholders?: Record<string, string[]>;
}

/** Every modifier the evaluator knows, by group. */
export const MODIFIERS = {
  match: ['contains', 'startswith', 'endswith', 're', 'cidr', 'gt', 'gte', 'lt', 'lte', 'exists', 'fieldref'],
  transform: ['base64', 'base64offset', 'utf16le', 'utf16be', 'utf16', 'wide', 'windash', 'expand'],
  flag: ['all', 'cased', 'neq', 'i', 'm', 's', 'ignorecase', 'multiline', 'dotall'],
  time: ['minute', 'hour', 'day', 'week', 'month', 'year'],
} as const;

const KNOWN = new Set<string>(Object.values(MODIFIERS).flat());
/** Needles shorter than this are not indexed; two characters still beat trying the rule on every event. */
const MIN_NEEDLE = 2;

type ValueTest = (value: unknown, ev: EventView) => boolean;

/** Compiles a field matcher; problems (bad regex, unknown modifier, unresolved placeholder) are pushed to `problems`. */
export function compileFieldMatcher(
  matcher: FieldMatcher,
  options: MatchOptions,
  problems: Diagnostic[],
): CompiledMatcher {
  const mods = matcher.modifiers.map((m) => m.name.toLowerCase());
  const field = matcher.field;
  const never: CompiledMatcher = { test: () => false, anchor: null };
  for (const [i, name] of mods.entries()) {
    if (!KNOWN.has(name)) {
      problems.push(
        diagnostic(
          'sigma/unsupported-modifier',
          'error',
          `Unexpected modifier \`${name}\`, the evaluator cannot apply it`,
          {
            place: matcher.modifiers[i]!.range,
          },
        ),
      );
      return never;
    }
  }
  const has = (name: string): boolean => mods.includes(name);
  const all = has('all');
  const cased = has('cased');
  const neq = has('neq');

  if (has('exists')) {
    const want = matcher.values[0]?.type === 'boolean' ? matcher.values[0].value : true;
    if (field === null) return never;
    return { test: (ev) => ev.has(field) === want, anchor: null };
  }

  const tests: ValueTest[] = [];
  const needleSets: (Needle[] | null)[] = [];
  const literals: Literal[] = [];
  /** With `all`: each value's literal while every value is one plain literal (null once one is not). */
  let every: Literal[] | null = all && !cased ? [] : null;
  for (const value of matcher.values) {
    const compiled = compileValue(value, mods, cased, options, problems, field);
    needleSets.push(compiled.needles);
    if (every !== null) {
      if (compiled.literals?.length === 1) every.push(compiled.literals[0]!);
      else every = null;
    }
    // Any value (no `all`), case-insensitive: plain values are tested together, in one closure.
    if (compiled.literals && !all && !cased) literals.push(...compiled.literals);
    else tests.push(compiled.test);
  }
  let group: LiteralGroup | undefined;
  if (literals.length > 0) {
    const g = (group = new LiteralGroup(literals));
    const test: ValueTest = (v) => {
      if (v instanceof LoweredString) return g.test(v.lower);
      if (Array.isArray(v)) return v.some((item) => test(item, undefined as unknown as EventView));
      const s = scalarText(v);
      return s !== undefined && g.test(s.toLowerCase());
    };
    tests.push(test);
  }
  if (tests.length === 0) return never;

  const only = tests.length === 1 ? tests[0]! : undefined;
  const combine: ValueTest =
    only ??
    (all
      ? (v, ev) => {
          for (let i = 0; i < tests.length; i++) if (!tests[i]!(v, ev)) return false;
          return true;
        }
      : (v, ev) => {
          for (let i = 0; i < tests.length; i++) if (tests[i]!(v, ev)) return true;
          return false;
        });

  let test: (ev: EventView) => boolean;
  if (field === null) {
    // Keywords: any string value of the event, lower-cased once per event.
    const lower = !cased && mods.every((m) => m !== 're');
    test = (ev) => {
      const values: readonly unknown[] = lower ? ev.loweredStrings() : ev.strings();
      for (let i = 0; i < values.length; i++) if (combine(values[i], ev)) return true;
      return false;
    };
  } else {
    const lower = !cased && mods.every((m) => m !== 're' && m !== 'fieldref');
    const slot = fieldSlot(field);
    // The whole matcher on a string's lower-case text, when its values are plain: any of them (a group), or every
    // one of them (`all`).
    const plain: { test(text: string): boolean } | undefined =
      only !== undefined && group !== undefined
        ? group
        : every !== null && every.length === tests.length
          ? new EveryLiteral(every)
          : undefined;
    if (plain !== undefined && lower)
      // The usual case, plain values only: a string field's cached lower-case text goes straight to the group.
      test = (ev) => {
        const v = ev.valueAt(slot, field);
        const r = typeof v === 'string' ? plain.test(ev.lowerAt(slot, field)!) : combine(v, ev);
        return neq ? !r : r;
      };
    else
      test = (ev) => {
        const v = ev.valueAt(slot, field);
        // The per-event lower-case cache serves every rule that reads this field.
        const r = lower && typeof v === 'string' ? combine(ev.loweredStringAt(slot, field, v), ev) : combine(v, ev);
        return neq ? !r : r;
      };
  }

  let anchor: Anchor | null = null;
  const usable = needleSets.filter((n): n is Needle[] => n !== null);
  // Any value: every value needs a needle. All values (`all`): one value's needles suffice.
  if (!neq && usable.length > 0 && (all || usable.length === needleSets.length)) {
    const sets = usable;
    const chosen = all ? [sets.reduce((best, s) => (minLen(s) > minLen(best) ? s : best))] : sets;
    // Keywords (no field): the needle occurs in some string of the event, field `''`.
    anchor = {
      alternatives: chosen
        .flat()
        .map((needle) =>
          typeof needle === 'number' ? { field: field ?? '', number: needle } : { field: field ?? '', needle },
        ),
    };
  }
  return { test, anchor };
}

/**
 * A needle worth indexing: two characters, a non-ASCII character (emoji, homoglyphs), or one rare punctuation
 * character (`` ` ``, `^`, `$`…). Any needle beats none (a rule without one is tried on every event); only
 * characters found in almost every value (`\\`, `.`, `:`, `-`, `/`, `_`, space, letters, digits) are left out.
 */
function usableNeedle(needle: string): boolean {
  if (needle.length >= MIN_NEEDLE) return true;
  for (let i = 0; i < needle.length; i++) if (needle.charCodeAt(i) > 0x7f) return true;
  return needle.length === 1 && RARE_CHARACTERS.includes(needle);
}

const RARE_CHARACTERS = '`^$|&!#@;<>{}[]~+=,\'"%*?()';

function minLen(needles: Needle[]): number {
  return needles.reduce<number>((m, n) => Math.min(m, needleLength(n)), Infinity);
}

function compileValue(
  value: SigmaValue,
  mods: string[],
  cased: boolean,
  options: MatchOptions,
  problems: Diagnostic[],
  field: string | null,
): { test: ValueTest; needles: Needle[] | null; literals?: Literal[] } {
  const has = (name: string): boolean => mods.includes(name);
  const never = { test: () => false, needles: null };
  const timePart = mods.find((m) => (MODIFIERS.time as readonly string[]).includes(m));
  const compare = mods.find((m) => m === 'gt' || m === 'gte' || m === 'lt' || m === 'lte');

  if (value.type === 'null')
    return { test: (v) => v === null || v === undefined || (Array.isArray(v) && v.length === 0), needles: null };

  if (timePart) {
    const want = Number(value.type === 'string' ? value.value : value.type === 'number' ? value.value : NaN);
    const op = compare ?? 'eq';
    return { test: anyElement((v) => numberCompare(op, datePart(timePart, v), want)), needles: null };
  }
  if (compare) {
    const want = value.type === 'number' ? value.value : Number(value.type === 'string' ? value.value : NaN);
    if (Number.isNaN(want)) {
      problems.push(
        problem('sigma/invalid-number', `Unexpected value for \`${compare}\`, expected a number`, value.range),
      );
      return never;
    }
    return { test: anyElement((v) => numberCompare(compare, toNumber(v), want)), needles: null };
  }
  if (has('cidr')) {
    const text = value.type === 'string' ? value.value : String('value' in value ? value.value : '');
    const network = parseCidr(text);
    if (!network) {
      problems.push(
        problem(
          'sigma/invalid-cidr',
          `Unexpected CIDR \`${text}\`, expected a network like \`10.0.0.0/8\``,
          value.range,
        ),
      );
      return never;
    }
    return {
      test: anyElement((v) => {
        const s = scalarText(v);
        return s !== undefined && inNetwork(network, s);
      }),
      needles: null,
    };
  }
  if (has('re')) {
    const pattern = value.type === 'string' ? value.value : String('value' in value ? value.value : '');
    const regex = compileSafeRegex(pattern, {
      i: has('i') || has('ignorecase'),
      m: has('m') || has('multiline'),
      s: has('s') || has('dotall'),
    });
    if (!regex.ok) {
      problems.push(
        problem(
          'sigma/unsupported-regex',
          `Unexpected regex \`${pattern}\` (${regex.reason}), expected RE2 syntax without backreferences or lookarounds`,
          value.range,
        ),
      );
      return never;
    }
    // A literal every match contains (one per top-level alternative): its absence answers without running RE2.
    const literals = requiredLiterals(pattern);
    const needles = literals !== null && literals.every(usableNeedle) ? literals : null;
    const prefilter = literals !== null && literals.every((l) => l.length > 0 && isAscii(l)) ? literals : null;
    const minLength = regexMinLength(pattern);
    return {
      test: anyElement((v) => {
        const s = scalarText(v);
        if (s === undefined || s.length < minLength) return false;
        if (prefilter !== null && isAscii(s)) {
          const lower = s.toLowerCase();
          let found = false;
          for (let i = 0; i < prefilter.length && !found; i++) found = lower.includes(prefilter[i]!);
          if (!found) return false;
        }
        return regex.test(s);
      }),
      needles,
    };
  }
  if (has('fieldref')) {
    if (value.type !== 'string') return never;
    const other = value.value;
    const mode = has('contains')
      ? 'contains'
      : has('startswith')
        ? 'startswith'
        : has('endswith')
          ? 'endswith'
          : 'equals';
    return {
      test: (v, ev) => {
        const a = scalarText(original(v));
        const b = scalarText(ev.value(other));
        if (a === undefined || b === undefined) return false;
        const x = cased ? a : a.toLowerCase();
        const y = cased ? b : b.toLowerCase();
        return mode === 'equals'
          ? x === y
          : mode === 'contains'
            ? x.includes(y)
            : mode === 'startswith'
              ? x.startsWith(y)
              : x.endsWith(y);
      },
      needles: null,
    };
  }
  if (value.type === 'boolean') {
    const want = value.value;
    return {
      test: anyElement((v) => v === want || (typeof v === 'string' && v.toLowerCase() === String(want))),
      needles: null,
    };
  }
  if (value.type === 'number' && mods.every((m) => m === 'all' || m === 'cased' || m === 'neq')) {
    const want = value.value;
    const raw = value.raw.toLowerCase();
    // Plain integers are indexed by value: the field's text equals `raw` only when it is that number.
    const exact = /^-?\d{1,15}$/.test(raw) && Number(raw) === want;
    return {
      needles: exact ? [want] : null,
      test: anyElement((v) => {
        if (typeof v === 'number') return v === want;
        const s = scalarText(v);
        if (s === undefined) return false;
        if (s.trim() !== '' && Number(s) === want) return true;
        return s.toLowerCase() === raw;
      }),
    };
  }

  // Strings (and numbers used with string modifiers): transformations, then a match type, as patterns.
  const rawText = value.type === 'string' ? value.value : value.type === 'number' ? value.raw : '';
  let raws = [rawText];
  if (has('expand')) {
    const expanded = expand(rawText, options.placeholders ?? {});
    if (expanded.missing.length > 0) {
      problems.push(
        problem(
          'sigma/unresolved-placeholder',
          `Unexpected placeholder ${expanded.missing.map((m) => `\`%${m}%\``).join(', ')}, expected a value list for it in the evaluator options`,
          value.range,
          'warning',
        ),
      );
      return never;
    }
    raws = expanded.values;
  }
  let alternatives: { tokens?: PatternToken[]; encoded?: Encoded }[] = raws.map((r) => ({ tokens: tokenize(r) }));
  for (const mod of mods) {
    const next: typeof alternatives = [];
    for (const alt of alternatives) {
      const asEncoded = (): Encoded => alt.encoded ?? plainText(tokensText(alt.tokens!));
      switch (mod) {
        case 'windash':
          if (alt.tokens) for (const tokens of windash(alt.tokens)) next.push({ tokens });
          else next.push(alt);
          break;
        case 'wide':
        case 'utf16le':
          next.push({ encoded: utf16(asEncoded(), 'le', false) });
          break;
        case 'utf16be':
          next.push({ encoded: utf16(asEncoded(), 'be', false) });
          break;
        case 'utf16':
          next.push({ encoded: utf16(asEncoded(), 'le', true) });
          break;
        case 'base64':
          next.push({ encoded: base64(asEncoded()) });
          break;
        case 'base64offset':
          for (const form of base64Offsets(asEncoded())) next.push({ encoded: form });
          break;
        default:
          next.push(alt);
      }
    }
    alternatives = next;
  }
  const contains = has('contains') || field === null;
  const patterns = alternatives.map((alt) => {
    const tokens = alt.tokens ?? literalTokens(latin1(alt.encoded!));
    return compilePattern(wrap(tokens, contains || has('endswith'), contains || has('startswith')), cased);
  });
  const needles = patterns.every((p) => usableNeedle(p.longestLiteral)) ? patterns.map((p) => p.longestLiteral) : null;
  const tests = patterns.map((p) => p.test);
  const one = tests.length === 1 ? tests[0]! : undefined;
  const test: ValueTest = (v) => {
    if (v instanceof LoweredString) {
      if (one !== undefined) return one(v.lower);
      for (let i = 0; i < tests.length; i++) if (tests[i]!(v.lower)) return true;
      return false;
    }
    if (Array.isArray(v)) return v.some((item) => test(item, undefined as unknown as EventView));
    const s = scalarText(v);
    if (s === undefined) return false;
    const text = cased ? s : s.toLowerCase();
    for (const p of patterns) if (p.test(text)) return true;
    return false;
  };
  const literals = patterns.map(literalOf);
  return literals.every((l) => l !== null) ? { test, needles, literals } : { test, needles };
}

/** A pattern that is one literal, whole or at an end or anywhere (`L`, `L*`, `*L`, `*L*`). */
interface Literal {
  kind: (typeof LITERAL_KINDS)[number];
  text: string;
}

function literalOf(pattern: Pattern): Literal | null {
  const t = pattern.tokens;
  const literal = t.find((x) => x.type === 'literal');
  if (!literal || literal.type !== 'literal') return null;
  const any = (i: number): boolean => t[i]?.type === 'any';
  const text = literal.text;
  if (t.length === 1) return { kind: 'equals', text };
  if (t.length === 2 && t[0] === literal && any(1)) return { kind: 'startswith', text };
  if (t.length === 2 && any(0) && t[1] === literal) return { kind: 'endswith', text };
  if (t.length === 3 && any(0) && t[1] === literal && any(2)) return { kind: 'contains', text };
  return null;
}

/** Up to this many `contains` literals run as one RegExp alternation; more as one Aho–Corasick pass. */
const MAX_ALTERNATION = 64;

/**
 * One test for a list of plain values (the usual Sigma list: `Image|endswith: [\\a.exe, \\b.exe, …]`): a set
 * lookup for whole values, a loop of native `startsWith`/`endsWith` calls, and for `contains` a single search — a
 * RegExp alternation (the engine's own matcher) or, for long lists, an Aho–Corasick pass — instead of one closure
 * call per value. It is an object with a method rather than a closure: every group shares one `test` (inlined into
 * the field test that calls it), and a rule's evaluation reads one object per group instead of a closure and its
 * context (the memory a candidate rule touches is what evaluating it costs: its data is rarely in the cache).
 */
class LiteralGroup {
  private readonly equals = new Set<string>();
  private readonly checkEquals: boolean;
  private readonly prefixes: string[] = [];
  private readonly suffixes: string[] = [];
  /** `contains` values: one (a native `includes`), a few (one RegExp alternation) or many (an automaton). */
  private readonly infix: string | null = null;
  private readonly infixes: RegExp | null = null;
  private readonly infixSet: NeedleSet<true> | null = null;

  constructor(literals: Literal[]) {
    const infixes: string[] = [];
    for (const { kind, text } of literals) {
      if (kind === 'equals') this.equals.add(text);
      else if (kind === 'startswith') this.prefixes.push(text);
      else if (kind === 'endswith') this.suffixes.push(text);
      else infixes.push(text);
    }
    this.checkEquals = this.equals.size > 0;
    if (infixes.length === 1) this.infix = infixes[0]!;
    else if (infixes.length > 1 && infixes.length <= MAX_ALTERNATION)
      this.infixes = new RegExp(infixes.map((x) => x.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'));
    else if (infixes.length > MAX_ALTERNATION) {
      const set = (this.infixSet = new NeedleSet<true>({ memo: false }));
      for (const infix of infixes) set.add(infix, true);
    }
  }

  /** Whether the (lower-case) text meets one of the values. */
  test(s: string): boolean {
    if (this.checkEquals && this.equals.has(s)) return true;
    const prefixes = this.prefixes;
    for (let i = 0; i < prefixes.length; i++) if (s.startsWith(prefixes[i]!)) return true;
    const suffixes = this.suffixes;
    for (let i = 0; i < suffixes.length; i++) if (s.endsWith(suffixes[i]!)) return true;
    if (this.infix !== null) return s.includes(this.infix);
    if (this.infixes !== null) return this.infixes.test(s);
    return this.infixSet !== null && this.infixSet.has(s);
  }
}

/** `|all` over plain values: every one must hold on the (lower-case) text. One object, like LiteralGroup. */
class EveryLiteral {
  /** Each value's kind, as its index in LITERAL_KINDS: 0 equals, 1 startswith, 2 endswith, 3 contains. */
  private readonly kinds: Uint8Array;
  private readonly texts: string[];

  constructor(literals: Literal[]) {
    this.kinds = Uint8Array.from(literals, (l) => LITERAL_KINDS.indexOf(l.kind));
    this.texts = literals.map((l) => l.text);
  }

  test(s: string): boolean {
    const kinds = this.kinds;
    const texts = this.texts;
    for (let i = 0; i < texts.length; i++) {
      const t = texts[i]!;
      const kind = kinds[i]!;
      if (kind === 3 ? !s.includes(t) : kind === 0 ? s !== t : kind === 1 ? !s.startsWith(t) : !s.endsWith(t))
        return false;
    }
    return true;
  }
}

const LITERAL_KINDS = ['equals', 'startswith', 'endswith', 'contains'] as const;

function tokensText(tokens: PatternToken[]): string {
  // Back to raw form with escapes so plainText decodes it exactly once.
  return tokens
    .map((t) =>
      t.type === 'literal'
        ? t.text.replace(/[\\*?]/g, (c) => '\\' + c)
        : t.type === 'any'
          ? '*'
          : t.type === 'one'
            ? '?'
            : t.chars[0],
    )
    .join('');
}

function original(v: unknown): unknown {
  return v instanceof LoweredString ? v.original : v;
}

function anyElement(test: (v: unknown) => boolean): ValueTest {
  const run = (v: unknown): boolean => {
    const o = original(v);
    return Array.isArray(o) ? o.some((item) => run(item)) : test(o);
  };
  return run;
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '') return Number(v);
  return NaN;
}

function numberCompare(op: string, a: number, b: number): boolean {
  if (Number.isNaN(a)) return false;
  switch (op) {
    case 'gt':
      return a > b;
    case 'gte':
      return a >= b;
    case 'lt':
      return a < b;
    case 'lte':
      return a <= b;
    default:
      return a === b;
  }
}

function datePart(part: string, v: unknown): number {
  const s = scalarText(v);
  if (s === undefined) return NaN;
  let text = s.trim().replace(' ', 'T');
  if (/^\d{4}-\d\d-\d\dT[\d:.]+$/.test(text)) text += 'Z';
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) return NaN;
  switch (part) {
    case 'minute':
      return date.getUTCMinutes();
    case 'hour':
      return date.getUTCHours();
    case 'day':
      return date.getUTCDate();
    case 'month':
      return date.getUTCMonth() + 1;
    case 'year':
      return date.getUTCFullYear();
    default: {
      // ISO week number
      const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
      const day = d.getUTCDay() || 7;
      d.setUTCDate(d.getUTCDate() + 4 - day);
      const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
      return Math.ceil(((d.getTime() - yearStart) / 86400000 + 1) / 7);
    }
  }
}

function expand(raw: string, placeholders: Record<string, string[]>): { values: string[]; missing: string[] } {
  const names = [...raw.matchAll(/%([A-Za-z0-9_.-]+)%/g)].map((m) => m[1]!);
  const missing = names.filter((n) => !placeholders[n]);
  if (missing.length > 0) return { values: [], missing };
  let values = [raw];
  for (const name of new Set(names)) {
    values = values.flatMap((v) => placeholders[name]!.map((p) => v.split(`%${name}%`).join(p)));
  }
  return { values, missing: [] };
}

function problem(ruleId: string, message: string, place: Range, severity: 'error' | 'warning' = 'error'): Diagnostic {
  return diagnostic(ruleId, severity, message, { place });
}
