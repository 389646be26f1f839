/**
 * Builds Sigma model objects by hand for evaluator tests (independent of the
 * parser, so these tests pin the evaluator's semantics alone).
 */
import type {
  ConditionNode,
  FieldMatcher,
  Logsource,
  Search,
  SigmaRule,
  SigmaValue,
} from '../../../../src/core/sigma/model.ts';

const R = { start: { line: 1, column: 1 } };

/** A model value from a plain one (strings stay raw). */
export function value(v: unknown): SigmaValue {
  if (v === null) return { type: 'null', range: R };
  if (typeof v === 'number') return { type: 'number', value: v, raw: String(v), range: R };
  if (typeof v === 'boolean') return { type: 'boolean', value: v, range: R };
  return { type: 'string', value: String(v), range: R };
}

/** `{ 'Image|endswith': ['a', 'b'] }` -> a fields search. */
export function fields(map: Record<string, unknown>): Search {
  const matchers: FieldMatcher[] = Object.entries(map).map(([key, v]) => {
    const [field, ...mods] = key.split('|');
    return {
      field: field === '' ? null : field!,
      modifiers: mods.map((name) => ({ name, range: R })),
      values: (Array.isArray(v) ? v : [v]).map(value),
      keyRange: R,
      range: R,
    };
  });
  return { type: 'fields', matchers, range: R };
}

/** A list of keywords. */
export function keywords(values: unknown[], modifiers: string[] = []): Search {
  return {
    type: 'keywords',
    values: values.map(value),
    modifiers: modifiers.map((name) => ({ name, range: R })),
    range: R,
  };
}

/** A list of maps (any one). */
export function anyOf(...maps: Record<string, unknown>[]): Search {
  return { type: 'any-of', alternatives: maps.map(fields), range: R };
}

/** Condition helpers. */
export const c = {
  id: (name: string): ConditionNode => ({ type: 'identifier', name, range: R }),
  and: (...children: ConditionNode[]): ConditionNode => ({ type: 'and', children, range: R }),
  or: (...children: ConditionNode[]): ConditionNode => ({ type: 'or', children, range: R }),
  not: (child: ConditionNode): ConditionNode => ({ type: 'not', child, range: R }),
  oneOf: (pattern: string): ConditionNode => ({
    type: 'quantified',
    quantifier: 'any',
    target: pattern === 'them' ? { type: 'them' } : { type: 'pattern', pattern },
    range: R,
  }),
  allOf: (pattern: string): ConditionNode => ({
    type: 'quantified',
    quantifier: 'all',
    target: pattern === 'them' ? { type: 'them' } : { type: 'pattern', pattern },
    range: R,
  }),
};

/** A rule from searches and a condition (default: `selection`). */
export function rule(
  searches: Record<string, Search>,
  condition: ConditionNode = c.id('selection'),
  extra: { logsource?: Logsource; id?: string; title?: string; level?: string } = {},
): SigmaRule {
  return {
    type: 'rule',
    id: extra.id ?? 'r-' + Math.random().toString(36).slice(2),
    title: extra.title ?? 'test rule',
    level: extra.level,
    logsource: extra.logsource ?? { product: 'windows', category: 'process_creation' },
    detection: {
      searches: Object.entries(searches).map(([name, search]) => ({ name, search, range: R })),
      condition,
      conditionText: [],
    },
    references: [],
    tags: [],
    falsepositives: [],
    fields: [],
    related: [],
    raw: {},
    ranges: { key: () => undefined, value: () => undefined },
    range: R,
  };
}
