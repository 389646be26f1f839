/**
 * The rule index: runs thousands of rules over a stream of events without
 * trying every rule on every event.
 *
 * 1. Rules are grouped into buckets by logsource. Each bucket carries the
 *    scope condition of its logsource (e.g. Channel = Sysmon and EventID = 1);
 *    buckets are indexed by the Channel values their conditions require, so an
 *    event only tests the buckets of its own channel (plus the few without one).
 * 2. Inside a bucket, every rule with an anchor (literal substrings one of
 *    which must occur in a given field when the rule matches) is reached
 *    through one Aho–Corasick automaton per field: one pass over the event's
 *    `CommandLine` finds every rule whose needle occurs there. Only those rules,
 *    and the rules without an anchor, are evaluated in full.
 * 3. A short value seen lately (an `Image`, a `User`) is not scanned again: each
 *    automaton remembers the needles it found in it (NeedleSet.scanFolded).
 */
import type { Diagnostic } from '../../diagnostics.ts';
import { EventView, fieldSlot, lowerName, scalarText, type JsonEvent } from '../../events/view.ts';
import { LogsourceScope, meets, type ScopeCondition } from '../../logsource/scope.ts';
import type { SigmaDocument, SigmaFilter, SigmaRule } from '../model.ts';
import { CharIndex, NeedleSet } from './aho-corasick.ts';
import { compileRule, type CompiledRule, type MatcherCache } from './compile.ts';
import type { MatchOptions } from './matcher.ts';
import { isAscii } from '../../text/ascii.ts';

/** Options of the rule index. */
export interface EngineOptions extends MatchOptions {
  /** Logsource scoping; `null` turns it off (every rule is tried on every event). Default: the built-in table. */
  scope?: LogsourceScope | null;
  /**
   * Whether the field automata remember what they found in short values seen lately (file names, paths, users:
   * see NeedleSet.scanFolded). Default true; off, every value is scanned (for benchmarks and tests).
   */
  valueMemo?: boolean;
}

/** A rule left out of the index, and why. */
export interface SkippedRule {
  rule: SigmaRule;
  reason: string;
}

interface Bucket {
  condition: ScopeCondition;
  always: number[];
  needles: Map<string, NeedleSet<number>>;
  /** The same needle sets as arrays, for the hot loop. */
  fields: string[];
  sets: NeedleSet<number>[];
  /** Needles with a non-ASCII character (emoji, homoglyphs), by one such character, per field. */
  wide: Map<string, CharIndex<number>>;
  wideFields: string[];
  wideSets: CharIndex<number>[];
  /** Numeric anchors (`EventID: 4104`): per field, the payloads by the number the field must equal. */
  numberFields: string[];
  numbers: Map<number, number[]>[];
  /** Whether rules of the bucket have keyword anchors (found by the engine-wide pass over the event's strings). */
  keywords: boolean;
  /** Those keyword needles (ASCII ones), for the pass's prefilter. */
  keywordNeedles: Set<string>;
  /** Whether some of its keyword needles have a non-ASCII character. */
  keywordsWide: boolean;
}

/**
 * The keyword pass's prefilter for a set of buckets: their needles as one case-insensitive alternation, and whether
 * any could occur in a number. It is tested on each string as it is (no lower-case copy): an ASCII needle occurs in
 * a string's lower-case form only if the alternation matches the string. Its letters match either case, and of the
 * only two characters whose lower-case forms contain an ASCII letter, the Kelvin sign folds to `k` (Unicode case
 * folding: the `u` flag) and U+0130 İ (lower case: `i` and a combining dot) is an alternative of its own. Buckets
 * with non-ASCII keyword needles get no prefilter.
 */
interface KeywordFilter {
  re: RegExp;
  numbers: boolean;
  /**
   * The shortest needle's length: a shorter string cannot hold a needle, even lower-cased (the needles are ASCII,
   * and a character whose lower case holds an ASCII letter gives it in place or next to a combining dot that no
   * needle has), so it is not tested.
   */
  shortest: number;
}

/** Keyword needles up to which one RegExp alternation prefilters the automaton's pass (beyond, it is not faster). */
const MAX_FILTER_NEEDLES = 128;

const CHANNEL = fieldSlot('Channel');
const EVENT_ID = fieldSlot('EventID');

/** A needle's payload: rule index * ANCHOR_SLOTS + the anchor's index in the rule. */
const ANCHOR_BITS = 3;
const ANCHOR_SLOTS = 1 << ANCHOR_BITS;

/** A compiled, indexed rule set. */
export class RuleEngine {
  /** Rules in the index, by position (match results refer to them). */
  readonly rules: CompiledRule[] = [];
  /** Rules left out because their logsource is not in the scoping table. */
  readonly skipped: SkippedRule[] = [];
  /** What the evaluator could not apply, per rule. */
  readonly problems: { rule: SigmaRule; diagnostic: Diagnostic }[] = [];
  private readonly buckets: Bucket[] = [];
  /**
   * Per Channel (lower-case): the buckets of alternatives that name it, and by EventID those of alternatives that
   * also pin EventID to numbers (one lookup of the channel per event).
   */
  private readonly byChannel = new Map<string, { buckets: number[]; byId: Map<number, number[]> }>();
  /** Buckets by a top-level key (lower-case) an alternative without a Channel needs. */
  private readonly byKey = new Map<string, number[]>();
  /** {@link byKey} by a key as events spell it (null: no bucket). */
  private readonly listsByKey = new Map<string, number[] | null>();
  /**
   * The keys of the last event whose keys were looked up, and the bucket lists they gave: the next event with the
   * same keys in the same order (events of one source usually have) reuses them, comparing keys instead of looking
   * each one up.
   */
  private lastKeys: string[] = [];
  private lastKeyLists: number[][] = [];
  /** Buckets with an alternative that needs no Channel and no key: visited for every event. */
  private readonly generic: number[] = [];
  private bucketSeen = new Int32Array(0);
  /** Per bucket: the epoch of the last event that met its condition. */
  private bucketPassed = new Int32Array(0);
  /** Per rule: its bucket. */
  private ruleBucket = new Int32Array(0);
  /**
   * Keyword needles (field `''`) of every bucket in one automaton (ASCII) and a small one (non-ASCII): the event's
   * strings are scanned once, whatever the number of buckets it meets; hits of rules whose bucket it does not
   * meet are ignored.
   */
  private readonly keywords = new NeedleSet<number>({ memo: false });
  private readonly keywordsWide = new CharIndex<number>();
  private keywordPass = false;
  /** The buckets with keyword anchors the event met, in increasing order (their needles are the ones the pass looks for). */
  private keywordBuckets: number[] = [];
  /**
   * Per set of such buckets: one RegExp alternation of their needles, or null when there are too many (or some are
   * not ASCII). The engine's regex runs several times faster per character than the automaton, and it reads each
   * string as it is: no joined, lower-cased copy of the event is made unless it finds a needle.
   */
  private readonly keywordFilters = new Map<number | string, KeywordFilter | null>();
  /**
   * Per rule, four numbers side by side (one cache line: a hit reads them all, for rules spread over the index):
   * the epoch of its mask, the bit mask of its anchors found in this event (valid when that epoch is the current
   * one), the mask with every anchor found, and the epoch of the last event it was tried on.
   */
  private ruleState = new Int32Array(0);
  private epoch = 0;
  private readonly scope: LogsourceScope | null;
  // State of the event being matched (no closures allocated per event).
  private ev: EventView | undefined;
  private out: number[] = [];
  /** A hit of the keyword pass: its automaton holds every bucket's needles, so the rule's bucket may not be met. */
  private readonly keywordHit = (payload: number): void => {
    if (this.bucketPassed[this.ruleBucket[payload >>> ANCHOR_BITS]!] === this.epoch) this.hit(payload);
  };
  /** A hit of a bucket's own automaton (the bucket is met) or of a numeric anchor. */
  private readonly hit = (payload: number): void => {
    const rule = payload >>> ANCHOR_BITS;
    const state = this.ruleState;
    const at = rule << 2;
    const epoch = this.epoch;
    let mask = 1 << (payload & (ANCHOR_SLOTS - 1));
    if (state[at] !== epoch) state[at] = epoch;
    else mask |= state[at + 1]!;
    state[at + 1] = mask;
    if (mask === state[at + 2]) this.tryRule(rule);
  };

  constructor(documents: readonly SigmaDocument[], options: EngineOptions = {}) {
    this.scope = options.scope === undefined ? new LogsourceScope() : options.scope;
    const filters = documents.filter((d): d is SigmaFilter => d.type === 'filter');
    const bucketByKey = new Map<string, number>();
    const cache: MatcherCache = new Map();
    const full: number[] = [];
    const ruleBucket: number[] = [];
    for (const doc of documents) {
      if (doc.type !== 'rule') continue;
      let condition: ScopeCondition = [[]];
      let key = '*';
      if (this.scope) {
        const scoped = this.scope.conditionFor(doc.logsource);
        if ('unknown' in scoped) {
          this.skipped.push({ rule: doc, reason: scoped.unknown });
          continue;
        }
        condition = scoped.condition;
        key =
          `${doc.logsource.product ?? ''}/${doc.logsource.category ?? ''}/${doc.logsource.service ?? ''}`.toLowerCase();
      }
      const compiled = compileRule(doc, options, filtersFor(doc, filters), cache);
      for (const d of compiled.problems) this.problems.push({ rule: doc, diagnostic: d });
      const index = this.rules.push(compiled) - 1;
      let b = bucketByKey.get(key);
      if (b === undefined) {
        b =
          this.buckets.push({
            condition,
            always: [],
            needles: new Map(),
            fields: [],
            sets: [],
            wide: new Map(),
            wideFields: [],
            wideSets: [],
            numberFields: [],
            numbers: [],
            keywords: false,
            keywordNeedles: new Set(),
            keywordsWide: false,
          }) - 1;
        bucketByKey.set(key, b);
        this.indexBucket(b, condition);
      }
      const bucket = this.buckets[b]!;
      ruleBucket.push(b);
      // A keyword anchor (field `''`) costs a pass over every string of the event: it is used only when the
      // rule has no anchor on a named field.
      const named = compiled.anchors.filter((a) => a.alternatives.every((x) => x.field !== ''));
      const anchors = (named.length > 0 ? named : compiled.anchors).slice(0, ANCHOR_SLOTS);
      full.push((1 << anchors.length) - 1);
      if (anchors.length > 0) {
        // The rule is tried only when a needle of every one of its anchors occurs.
        anchors.forEach((anchor, slot) => {
          for (const alternative of anchor.alternatives) {
            const payload = index * ANCHOR_SLOTS + slot;
            if ('number' in alternative) {
              let f = bucket.numberFields.indexOf(alternative.field);
              if (f === -1) {
                f = bucket.numberFields.push(alternative.field) - 1;
                bucket.numbers.push(new Map());
              }
              const byNumber = bucket.numbers[f]!;
              const list = byNumber.get(alternative.number);
              if (list) list.push(payload);
              else byNumber.set(alternative.number, [payload]);
              continue;
            }
            const { field, needle } = alternative;
            if (field === '') {
              bucket.keywords = true;
              if (isAscii(needle)) {
                this.keywords.add(needle, payload);
                bucket.keywordNeedles.add(needle);
              } else {
                this.keywordsWide.add(needle, payload);
                bucket.keywordsWide = true;
              }
              continue;
            }
            if (isAscii(needle)) {
              let set = bucket.needles.get(field);
              if (!set) bucket.needles.set(field, (set = new NeedleSet<number>({ memo: options.valueMemo })));
              set.add(needle, payload);
            } else {
              // Needles with non-ASCII characters (emoji, homoglyphs) are found by one such character: in the
              // automaton, each of them would widen every state's row of the dense table.
              let index = bucket.wide.get(field);
              if (!index) bucket.wide.set(field, (index = new CharIndex<number>()));
              index.add(needle, payload);
            }
          }
        });
      } else bucket.always.push(index);
    }
    for (const bucket of this.buckets) {
      bucket.fields = [...bucket.needles.keys()];
      bucket.sets = [...bucket.needles.values()];
      bucket.wideFields = [...bucket.wide.keys()];
      bucket.wideSets = [...bucket.wide.values()];
    }
    const n = this.rules.length;
    this.ruleState = new Int32Array(n * 4);
    for (let i = 0; i < n; i++) this.ruleState[i * 4 + 2] = full[i]!;
    this.bucketSeen = new Int32Array(this.buckets.length);
    this.bucketPassed = new Int32Array(this.buckets.length);
    this.ruleBucket = Int32Array.from(ruleBucket);
  }

  /** How many rules are reached through an anchor (the rest are tried on every event of their logsource). */
  get anchoredCount(): number {
    return this.rules.length - this.buckets.reduce((n, b) => n + b.always.length, 0);
  }

  /** Values the field automata looked up in their memos, and how many of those the memos served. */
  get memoStats(): { lookups: number; served: number } {
    let lookups = 0;
    let served = 0;
    for (const bucket of this.buckets)
      for (const set of bucket.sets) {
        lookups += set.memoStats.lookups;
        served += set.memoStats.served;
      }
    return { lookups, served };
  }

  /** Turns a raw event (flattened already) into the view the rules read, applying the table's field copies. */
  view(event: JsonEvent): EventView {
    const view = new EventView(event);
    return this.scope ? this.scope.normaliseView(view) : view;
  }

  /** The rules that match one (flattened) event, in index order. */
  match(event: JsonEvent | EventView): CompiledRule[] {
    const ev = event instanceof EventView ? event : this.view(event);
    this.epoch++;
    this.ev = ev;
    const out: number[] = (this.out = []);
    this.keywordBuckets.length = 0;
    const channel = ev.lowerAt(CHANNEL, 'Channel');
    const entry = channel === undefined ? undefined : this.byChannel.get(channel);
    if (entry !== undefined) {
      const list = entry.buckets;
      for (let i = 0; i < list.length; i++) this.visit(list[i]!, ev);
      const id = ev.valueAt(EVENT_ID, 'EventID');
      if (id !== undefined && id !== null && entry.byId.size > 0) {
        const byId = entry.byId.get(typeof id === 'number' ? id : Number(scalarText(id)));
        if (byId !== undefined) for (let i = 0; i < byId.length; i++) this.visit(byId[i]!, ev);
      }
    }
    const generic = this.generic;
    for (let i = 0; i < generic.length; i++) this.visit(generic[i]!, ev);
    if (this.byKey.size > 0) {
      const fields = ev.fields;
      const keys = this.lastKeys;
      let count = 0;
      let same = true;
      for (const key in fields) {
        if (count >= keys.length || keys[count] !== key) {
          same = false;
          break;
        }
        count++;
      }
      if (!same || count !== keys.length) this.keyLists(fields);
      const lists = this.lastKeyLists;
      for (let l = 0; l < lists.length; l++) {
        const list = lists[l]!;
        for (let i = 0; i < list.length; i++) this.visit(list[i]!, ev);
      }
    }
    if (this.keywordPass) {
      // Keyword anchors: one pass over every string of the event for the buckets it met, when the prefilter finds
      // one of their needles in a string (keyword rules look for rare strings: usually it finds none).
      this.keywordPass = false;
      // The pass reads the strings joined by line breaks: a needle found across a join is a false hit, which only
      // costs a full evaluation (an anchor is a necessary condition, never a sufficient one). Numbers are left out
      // when no needle of these buckets could occur in one.
      const filter = this.keywordFilter();
      if (filter === null || ev.someString(filter.re, filter.numbers, filter.shortest)) {
        const text = ev.keywordText(filter === null || filter.numbers);
        this.keywords.scan(text, this.keywordHit);
        if (this.keywordsWide.size > 0 && !isAscii(text)) this.keywordsWide.scan(text, this.keywordHit);
      }
    }
    this.ev = undefined;
    const rules = this.rules;
    const result: CompiledRule[] = new Array<CompiledRule>(out.length);
    for (let i = 0; i < out.length; i++) result[i] = rules[out[i]!]!;
    return result;
  }

  /** Looks up the buckets of each key of `fields` (remembered with the keys: see lastKeys). */
  private keyLists(fields: JsonEvent): void {
    const memo = this.listsByKey;
    const keys: string[] = [];
    const lists: number[][] = [];
    for (const key in fields) {
      keys.push(key);
      // The buckets by the event's own spelling of the key (events of a source repeat the same keys).
      let list = memo.get(key);
      if (list === undefined) {
        if (memo.size >= 50_000) memo.clear();
        memo.set(key, (list = this.byKey.get(lowerName(key)) ?? null));
      }
      if (list !== null) lists.push(list);
    }
    this.lastKeys = keys;
    this.lastKeyLists = lists;
  }

  /** The prefilter of the keyword pass for the buckets the event met (built once per set of buckets). */
  private keywordFilter(): KeywordFilter | null {
    const met = this.keywordBuckets;
    // The set of buckets as a number (a few buckets at most; a string beyond): no allocation per event.
    let key: number | string = 0;
    if (met.length <= 3) for (const b of met) key = key * (this.buckets.length + 1) + b + 1;
    else key = met.join(',');
    let filter = this.keywordFilters.get(key);
    if (filter === undefined) {
      const needles = new Set<string>();
      for (const b of met) for (const needle of this.buckets[b]!.keywordNeedles) needles.add(needle);
      const wide = met.some((b) => this.buckets[b]!.keywordsWide);
      const alternatives = [...needles].map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      alternatives.push('\\u0130');
      filter =
        !wide && needles.size <= MAX_FILTER_NEEDLES
          ? {
              re: new RegExp(alternatives.join('|'), 'iu'),
              // A number's text (`String(n)`) has only digits, `.`, `e`, `+` and `-`.
              numbers: [...needles].some((n) => /^[0-9.e+-]+$/.test(n)),
              shortest: Math.min(...[...needles].map((n) => n.length)),
            }
          : null;
      this.keywordFilters.set(key, filter);
    }
    return filter;
  }

  private tryRule(i: number): void {
    const state = this.ruleState;
    if (state[i * 4 + 3] === this.epoch) return;
    state[i * 4 + 3] = this.epoch;
    if (!this.rules[i]!.match(this.ev!)) return;
    // Kept in index order (an event matches a few rules at most).
    const out = this.out;
    let at = out.length;
    out.push(i);
    for (; at > 0 && out[at - 1]! > i; at--) out[at] = out[at - 1]!;
    out[at] = i;
  }

  private visit(b: number, ev: EventView): void {
    if (this.bucketSeen[b] === this.epoch) return;
    this.bucketSeen[b] = this.epoch;
    const bucket = this.buckets[b]!;
    if (!meets(bucket.condition, ev)) return;
    this.bucketPassed[b] = this.epoch;
    if (bucket.keywords) {
      this.keywordPass = true;
      // Kept in order (a few buckets at most): the set's key needs no sort.
      const met = this.keywordBuckets;
      let at = met.length;
      met.push(b);
      for (; at > 0 && met[at - 1]! > b; at--) met[at] = met[at - 1]!;
      met[at] = b;
    }
    const always = bucket.always;
    for (let i = 0; i < always.length; i++) this.tryRule(always[i]!);
    const hit = this.hit;
    const numberFields = bucket.numberFields;
    for (let f = 0; f < numberFields.length; f++) this.hitNumbers(ev.value(numberFields[f]!), bucket.numbers[f]!);
    const fields = bucket.fields;
    const sets = bucket.sets;
    for (let f = 0; f < fields.length; f++) {
      const value = ev.value(fields[f]!);
      if (value === undefined || value === null) continue;
      const set = sets[f]!;
      // Strings are folded to lower case on the fly (no copy unless they have non-ASCII characters).
      if (typeof value === 'string') set.scanFolded(value, hit);
      else if (Array.isArray(value)) {
        for (const item of value) {
          const s = scalarText(item);
          if (s !== undefined) set.scanFolded(s, hit);
        }
      } else {
        const s = scalarText(value);
        if (s !== undefined) set.scanFolded(s, hit);
      }
    }
    const wideFields = bucket.wideFields;
    for (let f = 0; f < wideFields.length; f++) {
      const value = ev.value(wideFields[f]!);
      const texts = Array.isArray(value) ? value : [value];
      for (const item of texts) {
        const s = scalarText(item);
        if (s !== undefined && !isAscii(s)) bucket.wideSets[f]!.scan(s.toLowerCase(), hit);
      }
    }
  }

  /** Hits the numeric anchors a field's value meets: a number, a numeric string, or any element of an array. */
  private hitNumbers(value: unknown, byNumber: Map<number, number[]>): void {
    let n: number;
    if (typeof value === 'number') n = value;
    else if (typeof value === 'string') {
      if (value.trim() === '') return;
      n = Number(value);
    } else if (typeof value === 'bigint') n = Number(value);
    else {
      if (Array.isArray(value)) for (const item of value) this.hitNumbers(item, byNumber);
      return;
    }
    const list = byNumber.get(n);
    if (list !== undefined) for (let i = 0; i < list.length; i++) this.hit(list[i]!);
  }

  private indexBucket(b: number, condition: ScopeCondition): void {
    // Each alternative is indexed on its own: by channel and EventID, by channel, or by a top-level key it needs.
    // An event visits the bucket when one alternative could hold (a Windows event never visits a bucket read as
    // "Linux Sysmon channel, or an auditd `type`"); `visit` tests the whole condition once per event.
    const push = (list: number[]): void => {
      if (!list.includes(b)) list.push(b);
    };
    const add = <K>(map: Map<K, number[]>, key: K): void => {
      let list = map.get(key);
      if (!list) map.set(key, (list = []));
      push(list);
    };
    const channelEntry = (c: string): { buckets: number[]; byId: Map<number, number[]> } => {
      let found = this.byChannel.get(c);
      if (!found) this.byChannel.set(c, (found = { buckets: [], byId: new Map() }));
      return found;
    };
    for (const conj of condition) {
      const channel = conj.find((a) => a.field === 'Channel' && a.equals && !a.negated);
      const id = conj.find((a) => a.field === 'EventID' && a.numbers && !a.negated);
      if (channel && id) {
        for (const c of channel.equals!) for (const n of id.numbers!) add(channelEntry(c).byId, n);
      } else if (channel) for (const c of channel.equals!) push(channelEntry(c).buckets);
      else {
        const atom = conj.find((a) => !a.negated);
        if (!atom) {
          // Nothing the alternative needs can be looked up: every event visits the bucket.
          push(this.generic);
          continue;
        }
        // `a.b` is read as a key `a.b`, a path under `a`, or a key of that name in any case.
        const lower = atom.field.toLowerCase();
        add(this.byKey, lower);
        add(this.byKey, lower.split('.')[0]!);
      }
    }
  }
}

function filtersFor(rule: SigmaRule, filters: SigmaFilter[]): SigmaFilter[] {
  if (filters.length === 0) return [];
  const names = new Set([rule.id, rule.name, rule.title].filter((x): x is string => Boolean(x)));
  return filters.filter((f) => f.rules.some((r) => names.has(r)));
}
