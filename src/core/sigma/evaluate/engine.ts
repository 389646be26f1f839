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
 */
import type { Diagnostic } from '../../diagnostics.ts';
import { EventView, scalarText, type JsonEvent } from '../../events/view.ts';
import { LogsourceScope, type ScopeCondition } from '../../logsource/scope.ts';
import type { SigmaDocument, SigmaFilter, SigmaRule } from '../model.ts';
import { NeedleSet } from './aho-corasick.ts';
import { compileRule, type CompiledRule, type MatcherCache } from './compile.ts';
import type { MatchOptions } from './matcher.ts';

/** Options of the rule index. */
export interface EngineOptions extends MatchOptions {
  /** Logsource scoping; `null` turns it off (every rule is tried on every event). Default: the built-in table. */
  scope?: LogsourceScope | null;
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
}

/** A compiled, indexed rule set. */
export class RuleEngine {
  /** Rules in the index, by position (match results refer to them). */
  readonly rules: CompiledRule[] = [];
  /** Rules left out because their logsource is not in the scoping table. */
  readonly skipped: SkippedRule[] = [];
  /** What the evaluator could not apply, per rule. */
  readonly problems: { rule: SigmaRule; diagnostic: Diagnostic }[] = [];
  private readonly buckets: Bucket[] = [];
  private readonly byChannel = new Map<string, number[]>();
  private readonly generic: number[] = [];
  private readonly seen: Int32Array;
  private readonly bucketSeen: Int32Array;
  private epoch = 0;
  private readonly scope: LogsourceScope | null;

  constructor(documents: readonly SigmaDocument[], options: EngineOptions = {}) {
    this.scope = options.scope === undefined ? new LogsourceScope() : options.scope;
    const filters = documents.filter((d): d is SigmaFilter => d.type === 'filter');
    const bucketByKey = new Map<string, number>();
    const cache: MatcherCache = new Map();
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
        b = this.buckets.push({ condition, always: [], needles: new Map() }) - 1;
        bucketByKey.set(key, b);
        this.indexBucket(b, condition);
      }
      const bucket = this.buckets[b]!;
      if (compiled.anchor) {
        for (const { field, needle } of compiled.anchor.alternatives) {
          let set = bucket.needles.get(field);
          if (!set) bucket.needles.set(field, (set = new NeedleSet<number>()));
          set.add(needle, index);
        }
      } else bucket.always.push(index);
    }
    this.seen = new Int32Array(this.rules.length);
    this.bucketSeen = new Int32Array(this.buckets.length);
  }

  /** How many rules are reached through an anchor (the rest are tried on every event of their logsource). */
  get anchoredCount(): number {
    return this.rules.length - this.buckets.reduce((n, b) => n + b.always.length, 0);
  }

  /** Turns a raw event (flattened already) into the view the rules read, applying the table's field copies. */
  view(event: JsonEvent): EventView {
    return new EventView(this.scope ? this.scope.normalise(event) : event);
  }

  /** The rules that match one (flattened) event, in index order. */
  match(event: JsonEvent | EventView): CompiledRule[] {
    const ev = event instanceof EventView ? event : this.view(event);
    const epoch = ++this.epoch;
    const out: number[] = [];
    const seen = this.seen;
    const rules = this.rules;
    const tryRule = (i: number): void => {
      if (seen[i] === epoch) return;
      seen[i] = epoch;
      if (rules[i]!.match(ev)) out.push(i);
    };
    const visit = (b: number): void => {
      if (this.bucketSeen[b] === epoch) return;
      this.bucketSeen[b] = epoch;
      const bucket = this.buckets[b]!;
      if (!bucket.condition.some((conj) => conj.every((atom) => atom.test(ev)))) return;
      for (const i of bucket.always) tryRule(i);
      for (const [field, set] of bucket.needles) {
        const value = ev.value(field);
        if (value === undefined || value === null) continue;
        if (typeof value === 'string') set.scan(ev.lower(field)!, tryRule);
        else if (Array.isArray(value)) {
          for (const item of value) {
            const s = scalarText(item);
            if (s !== undefined) set.scan(s.toLowerCase(), tryRule);
          }
        } else {
          const s = scalarText(value);
          if (s !== undefined) set.scan(s.toLowerCase(), tryRule);
        }
      }
    };
    const channel = ev.lower('Channel');
    if (channel !== undefined) for (const b of this.byChannel.get(channel) ?? []) visit(b);
    for (const b of this.generic) visit(b);
    out.sort((a, b) => a - b);
    return out.map((i) => rules[i]!);
  }

  private indexBucket(b: number, condition: ScopeCondition): void {
    let generic = false;
    const channels = new Set<string>();
    for (const conj of condition) {
      const atom = conj.find((a) => a.field === 'Channel' && a.equals);
      if (atom) for (const c of atom.equals!) channels.add(c);
      else generic = true;
    }
    if (generic) this.generic.push(b);
    else
      for (const c of channels) {
        const list = this.byChannel.get(c) ?? [];
        list.push(b);
        this.byChannel.set(c, list);
      }
  }
}

function filtersFor(rule: SigmaRule, filters: SigmaFilter[]): SigmaFilter[] {
  if (filters.length === 0) return [];
  const names = new Set([rule.id, rule.name, rule.title].filter((x): x is string => Boolean(x)));
  return filters.filter((f) => f.rules.some((r) => names.has(r)));
}
