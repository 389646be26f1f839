/**
 * Compiles a Sigma rule into a matcher over events: searches become closures,
 * the condition tree combines them, and the rule's anchor (needles one of
 * which must occur when the rule matches) is derived from the condition for
 * the rule index.
 */
import { diagnostic, type Diagnostic } from '../../diagnostics.ts';
import type { EventView } from '../../events/view.ts';
import type { ConditionNode, FieldMatcher, Search, SigmaDetection, SigmaFilter, SigmaRule } from '../model.ts';
import { compileFieldMatcher, type Anchor, type CompiledMatcher, type MatchOptions } from './matcher.ts';
import { compilePattern, tokenize } from './pattern.ts';

/** A rule ready to run. */
export interface CompiledRule {
  rule: SigmaRule;
  /** Rule id, else its name, else its title. */
  key: string;
  match: (ev: EventView) => boolean;
  /** Needles one of which must occur when the rule matches; null when none can be derived. */
  anchor: Anchor | null;
  /**
   * Every anchor the rule needs (AND): one needle of each must occur when the
   * rule matches. Empty when none can be derived. `anchor` is the first.
   */
  anchors: Anchor[];
  /** What the evaluator could not apply (bad regex, unknown modifier, undefined identifier). */
  problems: Diagnostic[];
}

/** A compiled search or condition: its test and the anchors (AND) it needs. */
interface Node extends CompiledMatcher {
  groups: Anchor[];
}

const ALWAYS: Node = { test: () => true, anchor: null, groups: [] };
const NEVER: Node = { test: () => false, anchor: null, groups: [] };
const MAX_ALTERNATIVES = 64;
/** At most this many anchors per rule are required (the most selective ones). */
export const MAX_ANCHORS = 4;

function node(m: CompiledMatcher): Node {
  return { test: m.test, anchor: m.anchor, groups: m.anchor ? [m.anchor] : [] };
}

/**
 * Field matchers shared between rules: the same `Image|endswith: \\powershell.exe`
 * in forty rules is compiled once.
 */
export type MatcherCache = Map<string, CompiledMatcher>;

/** Compiles a rule, with the filters that apply to it. */
export function compileRule(
  rule: SigmaRule,
  options: MatchOptions = {},
  filters: SigmaFilter[] = [],
  cache?: MatcherCache,
): CompiledRule {
  const problems: Diagnostic[] = [];
  const opts: MatchOptions & { cache?: MatcherCache } = cache ? { ...options, cache } : options;
  const main = compileDetection(rule.detection, opts, problems);
  let match = main.test;
  for (const filter of filters) {
    const f = compileDetection(filter.filter, opts, problems).test;
    const before = match;
    match = (ev) => before(ev) && f(ev);
  }
  return {
    rule,
    key: rule.id ?? rule.name ?? rule.title ?? '',
    match,
    anchor: main.groups[0] ?? null,
    anchors: main.groups,
    problems,
  };
}

/** Compiles a detection section (searches + condition). */
export function compileDetection(detection: SigmaDetection, options: MatchOptions, problems: Diagnostic[]): Node {
  const searches = new Map<string, Node>();
  for (const s of detection.searches) searches.set(s.name, compileSearch(s.search, options, problems));
  if (!detection.condition) {
    problems.push(
      diagnostic('sigma/missing-condition', 'error', 'Unexpected detection without a condition, expected `condition:`'),
    );
    return NEVER;
  }
  return compileCondition(detection.condition, searches, problems);
}

function compileSearch(search: Search, options: MatchOptions & { cache?: MatcherCache }, problems: Diagnostic[]): Node {
  switch (search.type) {
    case 'fields': {
      const parts = search.matchers.map((m) => node(sharedMatcher(m, options, problems)));
      return and(parts);
    }
    case 'any-of':
      return or(search.alternatives.map((a) => compileSearch(a, options, problems)));
    case 'keywords': {
      const keyword = (values: typeof search.values): Node =>
        node(
          compileFieldMatcher(
            {
              field: null,
              modifiers: search.modifiers.filter((m) => m.name !== 'all'),
              values,
              keyRange: search.range,
              range: search.range,
            },
            options,
            problems,
          ),
        );
      // `all`: every keyword somewhere in the event; otherwise one pass over the event's strings for all of them.
      return search.modifiers.some((m) => m.name === 'all')
        ? and(search.values.map((v) => keyword([v])))
        : keyword(search.values);
    }
    default: {
      const never: never = search;
      throw new Error(`unknown search ${JSON.stringify(never)}`);
    }
  }
}

function sharedMatcher(
  matcher: FieldMatcher,
  options: MatchOptions & { cache?: MatcherCache },
  problems: Diagnostic[],
): CompiledMatcher {
  const cache = options.cache;
  if (!cache) return compileFieldMatcher(matcher, options, problems);
  const key = JSON.stringify([
    matcher.field,
    matcher.modifiers.map((m) => m.name),
    matcher.values.map((v) => (v.type === 'null' ? null : v.type === 'number' ? [v.raw] : v.value)),
  ]);
  const found = cache.get(key);
  if (found) return found;
  const own: Diagnostic[] = [];
  const compiled = compileFieldMatcher(matcher, options, own);
  problems.push(...own);
  if (own.length > 0) return compiled;
  // No per-event memo around the test: an event meets few candidate rules, so a matcher two of them share is rarely
  // evaluated twice for one event, while the memo's own state was one more cold object to read in every evaluation
  // (without it the hunt path is 1.5 % faster).
  cache.set(key, compiled);
  return compiled;
}

function compileCondition(node: ConditionNode, searches: Map<string, Node>, problems: Diagnostic[]): Node {
  switch (node.type) {
    case 'and':
      return and(node.children.map((c) => compileCondition(c, searches, problems)));
    case 'or':
      return or(node.children.map((c) => compileCondition(c, searches, problems)));
    case 'not': {
      const inner = compileCondition(node.child, searches, problems).test;
      return { test: (ev) => !inner(ev), anchor: null, groups: [] };
    }
    case 'identifier': {
      const found = searches.get(node.name);
      if (!found) {
        problems.push(
          diagnostic(
            'sigma/undefined-identifier',
            'error',
            `Unexpected identifier \`${node.name}\`, expected a search defined in \`detection\``,
            { place: node.range },
          ),
        );
        return NEVER;
      }
      return found;
    }
    case 'quantified': {
      const names = [...searches.keys()];
      let chosen: string[];
      if (node.target.type === 'them') chosen = names.filter((n) => !n.startsWith('_'));
      else {
        const pattern = compilePattern(tokenize(node.target.pattern), true);
        chosen = names.filter((n) => pattern.test(n));
      }
      if (chosen.length === 0) {
        problems.push(
          diagnostic(
            'sigma/undefined-identifier',
            'error',
            `Unexpected pattern that names no search, expected a search defined in \`detection\``,
            { place: node.range },
          ),
        );
        return NEVER;
      }
      const parts = chosen.map((n) => searches.get(n)!);
      return node.quantifier === 'all' ? and(parts) : or(parts);
    }
    default: {
      const never: never = node;
      throw new Error(`unknown condition ${JSON.stringify(never)}`);
    }
  }
}

function and(parts: Node[]): Node {
  if (parts.length === 0) return ALWAYS;
  if (parts.length === 1) return parts[0]!;
  // Every part must hold, so every part's anchors are needed: keep the most selective few.
  const groups = [...new Set(parts.flatMap((p) => p.groups))].sort((a, b) => score(b) - score(a)).slice(0, MAX_ANCHORS);
  return { test: allOf(parts.map((p) => p.test)), anchor: groups[0] ?? null, groups };
}

function or(parts: Node[]): Node {
  if (parts.length === 0) return NEVER;
  if (parts.length === 1) return parts[0]!;
  const test = anyOf(parts.map((p) => p.test));
  // One branch holds, so one of its groups holds: the k-th group of the OR is the union of every branch's k-th
  // group (a branch with fewer groups gives its last one). The first is the union of each branch's best.
  if (parts.some((p) => p.groups.length === 0)) return { test, anchor: null, groups: [] };
  const depth = Math.min(MAX_ANCHORS, Math.max(...parts.map((p) => p.groups.length)));
  const groups: Anchor[] = [];
  for (let k = 0; k < depth; k++) {
    const alternatives = parts.flatMap((p) => p.groups[Math.min(k, p.groups.length - 1)]!.alternatives);
    if (alternatives.length > MAX_ALTERNATIVES * 4) break;
    groups.push({ alternatives });
  }
  return { test, anchor: groups[0] ?? null, groups };
}

type Test = (ev: EventView) => boolean;

/** `a && b && …` without a callback per part (the hot path of every rule). */
function allOf(tests: Test[]): Test {
  const [a, b, c] = tests;
  if (tests.length === 2) return (ev) => a!(ev) && b!(ev);
  if (tests.length === 3) return (ev) => a!(ev) && b!(ev) && c!(ev);
  return (ev) => {
    for (let i = 0; i < tests.length; i++) if (!tests[i]!(ev)) return false;
    return true;
  };
}

/** `a || b || …` without a callback per part. */
function anyOf(tests: Test[]): Test {
  const [a, b, c] = tests;
  if (tests.length === 2) return (ev) => a!(ev) || b!(ev);
  if (tests.length === 3) return (ev) => a!(ev) || b!(ev) || c!(ev);
  return (ev) => {
    for (let i = 0; i < tests.length; i++) if (tests[i]!(ev)) return true;
    return false;
  };
}

/** Selectivity of an anchor: its shortest needle (capped), fewer alternatives first; any-string anchors last. */
function score(a: Anchor): number {
  const shortest = Math.min(...a.alternatives.map((x) => Math.min('number' in x ? 8 : x.needle.length, 12)));
  const anyString = a.alternatives.some((x) => x.field === '') ? 100 : 0;
  return shortest * 1000 - Math.min(a.alternatives.length, 999) - anyString;
}
