/** Walks the field matchers of a rule or filter, for validators that look at values and modifiers. */
import type { FieldMatcher, Search, SigmaDetection, SigmaDocument } from '../model.ts';

/** The detection (or filter) part of a document, if it has one. */
export function detectionOf(document: SigmaDocument): SigmaDetection | undefined {
  if (document.type === 'rule') return document.detection;
  if (document.type === 'filter') return document.filter;
  return undefined;
}

/** Every field matcher of a search, depth first. Keyword searches count as matchers with no field. */
export function* matchersOf(search: Search): Generator<FieldMatcher> {
  switch (search.type) {
    case 'fields':
      yield* search.matchers;
      return;
    case 'any-of':
      for (const alternative of search.alternatives) yield* matchersOf(alternative);
      return;
    case 'keywords':
      yield {
        field: null,
        modifiers: search.modifiers,
        values: search.values,
        keyRange: search.range,
        range: search.range,
        list: search.values.length > 1,
      };
      return;
    default: {
      const never: never = search;
      return never;
    }
  }
}

const matchersCache = new WeakMap<SigmaDocument, readonly FieldMatcher[]>();

/**
 * Every field matcher of a document's detection. Computed once per document
 * (most validators walk them) and shared, so callers must not change them.
 */
export function documentMatchers(document: SigmaDocument): readonly FieldMatcher[] {
  let matchers = matchersCache.get(document);
  if (!matchers) {
    const out: FieldMatcher[] = [];
    const detection = detectionOf(document);
    if (detection) for (const identifier of detection.searches) out.push(...matchersOf(identifier.search));
    matchersCache.set(document, (matchers = out));
  }
  return matchers;
}
