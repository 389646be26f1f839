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
  /** What the evaluator could not apply (bad regex, unknown modifier, undefined identifier). */
  problems: Diagnostic[];
}

const ALWAYS: CompiledMatcher = { test: () => true, anchor: null };
const NEVER: CompiledMatcher = { test: () => false, anchor: null };
const MAX_ALTERNATIVES = 64;

/**
 * Field matchers shared between rules: the same `Image|endswith: \\powershell.exe`
 * in forty rules is compiled once and evaluated once per event.
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
  return { rule, key: rule.id ?? rule.name ?? rule.title ?? '', match, anchor: main.anchor, problems };
}

/** Compiles a detection section (searches + condition). */
export function compileDetection(
  detection: SigmaDetection,
  options: MatchOptions,
  problems: Diagnostic[],
): CompiledMatcher {
  const searches = new Map<string, CompiledMatcher>();
  for (const s of detection.searches) searches.set(s.name, compileSearch(s.search, options, problems));
  if (!detection.condition) {
    problems.push(
      diagnostic('sigma/missing-condition', 'error', 'Unexpected detection without a condition, expected `condition:`'),
    );
    return NEVER;
  }
  return compileCondition(detection.condition, searches, problems);
}

function compileSearch(
  search: Search,
  options: MatchOptions & { cache?: MatcherCache },
  problems: Diagnostic[],
): CompiledMatcher {
  switch (search.type) {
    case 'fields': {
      const parts = search.matchers.map((m) => sharedMatcher(m, options, problems));
      return and(parts);
    }
    case 'any-of':
      return or(search.alternatives.map((a) => compileSearch(a, options, problems)));
    case 'keywords': {
      const keyword = (values: typeof search.values): CompiledMatcher =>
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
  const inner = compiled.test;
  let lastView: EventView | undefined;
  let last = false;
  const memo: CompiledMatcher = {
    test: (ev) => {
      if (ev === lastView) return last;
      lastView = ev;
      return (last = inner(ev));
    },
    anchor: compiled.anchor,
  };
  cache.set(key, memo);
  return memo;
}

function compileCondition(
  node: ConditionNode,
  searches: Map<string, CompiledMatcher>,
  problems: Diagnostic[],
): CompiledMatcher {
  switch (node.type) {
    case 'and':
      return and(node.children.map((c) => compileCondition(c, searches, problems)));
    case 'or':
      return or(node.children.map((c) => compileCondition(c, searches, problems)));
    case 'not': {
      const inner = compileCondition(node.child, searches, problems).test;
      return { test: (ev) => !inner(ev), anchor: null };
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

function and(parts: CompiledMatcher[]): CompiledMatcher {
  if (parts.length === 0) return ALWAYS;
  if (parts.length === 1) return parts[0]!;
  const tests = parts.map((p) => p.test);
  let anchor: Anchor | null = null;
  for (const p of parts) if (p.anchor && (!anchor || better(p.anchor, anchor))) anchor = p.anchor;
  return { test: (ev) => tests.every((t) => t(ev)), anchor };
}

function or(parts: CompiledMatcher[]): CompiledMatcher {
  if (parts.length === 0) return NEVER;
  if (parts.length === 1) return parts[0]!;
  const tests = parts.map((p) => p.test);
  let anchor: Anchor | null = { alternatives: [] };
  for (const p of parts) {
    if (!p.anchor || !anchor) {
      anchor = null;
      continue;
    }
    anchor.alternatives.push(...p.anchor.alternatives);
  }
  if (anchor && anchor.alternatives.length > MAX_ALTERNATIVES * 4) anchor = null;
  return { test: (ev) => tests.some((t) => t(ev)), anchor };
}

/** Prefers the anchor whose shortest needle is longest (more selective), then the one with fewer needles. */
function better(a: Anchor, b: Anchor): boolean {
  const la = Math.min(...a.alternatives.map((x) => Math.min(x.needle.length, 12)));
  const lb = Math.min(...b.alternatives.map((x) => Math.min(x.needle.length, 12)));
  if (la !== lb) return la > lb;
  return a.alternatives.length < b.alternatives.length;
}
