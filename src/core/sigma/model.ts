/**
 * The Sigma rule model: what the parser produces and the validators, the
 * evaluator, the merger and the bundle consume. Plain data, discriminated
 * unions, every node with the range of its YAML source in the file.
 *
 * Specification: Sigma v2.1 (rules, modifiers, conditions, correlations, filters).
 */
import type { Diagnostic, Range } from '../diagnostics.ts';
import type { TextSource } from '../text/source.ts';

/** One YAML document of a Sigma block or file, parsed. */
export type SigmaDocument = SigmaRule | SigmaCorrelation | SigmaFilter;

/** Fields every Sigma document may carry. */
export interface SigmaMetadata {
  title?: string;
  id?: string;
  name?: string;
  status?: string;
  level?: string;
  description?: string;
  license?: string;
  author?: string;
  date?: string;
  modified?: string;
  references: string[];
  tags: string[];
  falsepositives: string[];
  fields: string[];
  related: { id: string; type: string }[];
  /** The document as plain JavaScript values, exactly as written (for merging and re-emitting). */
  raw: Record<string, unknown>;
  /** Ranges of the document's keys and values by dotted path (`detection.selection.Image|endswith`). */
  ranges: SourceRanges;
  /** Range of the whole YAML document in the file. */
  range: Range;
}

/** Key and value ranges by dotted path; list items use their index (`tags.2`). */
export interface SourceRanges {
  key(path: string): Range | undefined;
  value(path: string): Range | undefined;
}

/** A detection rule: logsource plus detection. */
export interface SigmaRule extends SigmaMetadata {
  type: 'rule';
  logsource: Logsource;
  detection: SigmaDetection;
}

/** Which log a rule reads; at least one of product, category or service. */
export interface Logsource {
  product?: string;
  category?: string;
  service?: string;
  definition?: string;
}

/** The `detection` section: named searches and the condition over them. */
export interface SigmaDetection {
  /** Search identifiers in source order. */
  searches: SearchIdentifier[];
  /** The condition; a list of conditions in the YAML means any of them (OR). */
  condition: ConditionNode | undefined;
  /** Condition source text(s), as written. */
  conditionText: string[];
  /** Deprecated `timeframe`, kept for aggregation-era rules. */
  timeframe?: string;
  /** Each condition as written with its parse: the tree, or why it does not parse. */
  conditions?: ParsedCondition[];
  /** Range of the `condition` key, or of the whole detection when it has none. */
  conditionRange?: Range;
}

/** One condition string with where it stands and what it parsed to. */
export interface ParsedCondition {
  text: string;
  /** Range of the condition value in the file. */
  range: Range;
  node?: ConditionNode;
  /** Why the condition does not parse, placed at the offending token. */
  error?: { message: string; range: Range; expected?: string[]; aggregation?: boolean };
}

/** A named search (`selection:` and what it holds). */
export interface SearchIdentifier {
  name: string;
  search: Search;
  /** Range of the name key. */
  range: Range;
}

/**
 * A search: a map of field matchers (all must hold), a list of maps (any one
 * must hold) or a list of keywords (any one must appear in the event).
 */
export type Search =
  | { type: 'fields'; matchers: FieldMatcher[]; range: Range }
  | { type: 'any-of'; alternatives: Search[]; range: Range }
  | { type: 'keywords'; modifiers: ModifierUse[]; values: SigmaValue[]; range: Range };

/** `Field|mod1|mod2: value or values`. `field` is null for keyword matchers (`'|re': ...`). */
export interface FieldMatcher {
  field: string | null;
  modifiers: ModifierUse[];
  /** Several values mean any one (OR), or every one with the `all` modifier. */
  values: SigmaValue[];
  /** Range of the key (`Image|endswith`). */
  keyRange: Range;
  /** Range of the value or value list. */
  range: Range;
  /** True when the value was written as a YAML list (even of one item). */
  list?: boolean;
}

/** One modifier as written, with its place (for "unknown modifier" diagnostics). */
export interface ModifierUse {
  name: string;
  range: Range;
}

/** A value in a search. Strings keep their raw text; wildcards are decoded by the evaluator. */
export type SigmaValue =
  | { type: 'string'; value: string; range: Range }
  | { type: 'number'; value: number; raw: string; range: Range }
  | { type: 'boolean'; value: boolean; range: Range }
  | { type: 'null'; range: Range };

/** Condition syntax tree; `start`/`end` are offsets into the condition string, `range` is the file range. */
export type ConditionNode =
  | { type: 'and'; children: ConditionNode[]; range: Range }
  | { type: 'or'; children: ConditionNode[]; range: Range }
  | { type: 'not'; child: ConditionNode; range: Range }
  | { type: 'identifier'; name: string; range: Range }
  | {
      type: 'quantified';
      /** `1 of` (any) or `all of`. */
      quantifier: 'any' | 'all';
      /** `them`, or a name pattern with `*` wildcards such as `selection_*`. */
      target: { type: 'them' } | { type: 'pattern'; pattern: string };
      range: Range;
    };

/** The correlation types of Sigma v2.1. */
export type CorrelationType =
  | 'event_count'
  | 'value_count'
  | 'temporal'
  | 'temporal_ordered'
  | 'value_sum'
  | 'value_avg'
  | 'value_percentile'
  | 'value_min'
  | 'value_max';

/** A correlation rule over the matches of other rules. */
export interface SigmaCorrelation extends SigmaMetadata {
  type: 'correlation';
  correlationType: CorrelationType;
  /** Referenced rules by id or name. */
  rules: string[];
  groupBy: string[];
  /** Timespan in milliseconds. */
  timespanMs: number;
  /** Timespan as written (`5m`). */
  timespan: string;
  /** Threshold (`gte: 10`) and the field it applies to (`field:` for value_* kinds). */
  condition: CorrelationCondition;
  /** `aliases`: one field name per referenced rule, under an alias. */
  aliases: Record<string, Record<string, string>>;
  generate: boolean;
}

/** Comparison thresholds of a correlation; several combine with AND. */
export interface CorrelationCondition {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  eq?: number;
  neq?: number;
  field?: string;
  /** For value_percentile. */
  percentile?: number;
}

/** A filter (Sigma filters spec): extra conditions applied to other rules. */
export interface SigmaFilter extends SigmaMetadata {
  type: 'filter';
  logsource: Logsource;
  /** Rules the filter applies to, by id or name. */
  rules: string[];
  filter: SigmaDetection;
}

/** What parsing one block or file gives: its documents and what is wrong with them. */
export interface SigmaParseResult {
  documents: SigmaDocument[];
  diagnostics: Diagnostic[];
  source: TextSource;
}
