/**
 * Parses a Sigma block or file (one or more YAML documents) into Sigma
 * documents: detection rules, correlation rules and filters, every node with
 * its file range.
 *
 * Values come from `fast-yaml.ts` for the plain block YAML rules are written
 * in, else from js-yaml (fast, YAML 1.2 core schema, no positions); ranges
 * come lazily from the `yaml` package's syntax tree (see `ranges.ts`). When
 * js-yaml rejects the text, the `yaml` package parses it instead, so every
 * YAML error is reported with its position and the good documents of a file
 * are still read.
 *
 * The parser judges only shape: YAML syntax, and values that cannot be read
 * as Sigma at all (a search that is a nested map, a condition that is a map).
 * Everything that has a meaning but a wrong one (unknown modifiers, undefined
 * identifiers, bad dates) is left to the validators in `validators/`, so
 * each concern lives in one file with its own id and tests.
 */
import jsyaml from 'js-yaml';
import { parseAllDocuments, type Document } from 'yaml';
import { diagnostic, type Diagnostic, type Range } from '../diagnostics.ts';
import { LineIndex, type TextSource } from '../text/source.ts';
import { joinRanges, parseCondition } from './condition.ts';
import { loadSimpleYaml } from './fast-yaml.ts';
import type {
  CorrelationCondition,
  CorrelationType,
  FieldMatcher,
  Logsource,
  ModifierUse,
  ParsedCondition,
  Search,
  SigmaCorrelation,
  SigmaDetection,
  SigmaDocument,
  SigmaFilter,
  SigmaMetadata,
  SigmaParseResult,
  SigmaRule,
  SigmaValue,
} from './model.ts';
import { nonEmpty, plainRange, YamlSourceMap, type NodePath } from './ranges.ts';
import { suggest } from '../text/suggest.ts';

/** Correlation types Sigma v2.1 defines. */
export const CORRELATION_TYPES: readonly CorrelationType[] = [
  'event_count',
  'value_count',
  'temporal',
  'temporal_ordered',
  'value_sum',
  'value_avg',
  'value_percentile',
  'value_min',
  'value_max',
];

const MARKER_QUIRK = /^(?:---|\.\.\.)[^\s]/m;

/** Parses every YAML document of `source` into Sigma documents, with diagnostics in file positions. */
export function parseSigmaBlock(source: TextSource): SigmaParseResult {
  const index = new LineIndex(source);
  const diagnostics: Diagnostic[] = [];
  const documents: SigmaDocument[] = [];
  let values: unknown[] | undefined;
  try {
    // js-yaml reads `---x` at the start of a line as a document marker followed by `x`; YAML (and the `yaml`
    // package, which gives the ranges) reads a plain scalar `---x`. Such text takes the `yaml` package for values
    // too, so every value has its range.
    values = MARKER_QUIRK.test(source.text)
      ? undefined
      : (loadSimpleYaml(source.text) ?? jsyaml.loadAll(source.text, undefined, { schema: jsyaml.CORE_SCHEMA })).filter(
          (v) => v !== null && v !== undefined,
        );
  } catch {
    values = undefined;
  }
  let map: YamlSourceMap;
  if (values) map = new YamlSourceMap(source.text, index);
  else {
    // js-yaml stops at the first error; the `yaml` package reports each one and recovers.
    let docs: Document.Parsed[];
    try {
      docs = nonEmpty(parseAllDocuments(source.text, { prettyErrors: false }) as Document.Parsed[]);
    } catch (error) {
      diagnostics.push(
        diagnostic('sigma/invalid-yaml', 'error', `Unexpected YAML: ${(error as Error).message}`, {
          place: index.point(0),
        }),
      );
      return { documents, diagnostics, source };
    }
    map = new YamlSourceMap(source.text, index, docs);
    values = docs.map((doc) => {
      if (doc.errors.length === 0) {
        try {
          return doc.toJS({ maxAliasCount: 100 }) as unknown;
        } catch (error) {
          const r = doc.contents?.range ?? [0, 0];
          diagnostics.push(
            diagnostic('sigma/invalid-yaml', 'error', `Unexpected YAML: ${(error as Error).message.split('\n')[0]}`, {
              place: index.range(r[0], r[1]),
            }),
          );
          return undefined;
        }
      }
      for (const error of doc.errors) {
        const [start, end] = error.pos;
        diagnostics.push(
          diagnostic('sigma/invalid-yaml', 'error', `Unexpected YAML: ${error.message.split('\n')[0]}`, {
            place: index.range(start, end),
          }),
        );
      }
      return undefined;
    });
  }
  values.forEach((value, i) => {
    if (value === undefined) return;
    const parsed = new DocumentParser(value, i, map, diagnostics).parse();
    if (parsed) documents.push(parsed);
  });
  return { documents, diagnostics, source };
}

type Plain = Record<string, unknown>;

function isObject(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads one document's plain value into the Sigma model. */
class DocumentParser {
  readonly root: unknown;
  readonly doc: number;
  readonly map: YamlSourceMap;
  readonly diagnostics: Diagnostic[];
  constructor(root: unknown, doc: number, map: YamlSourceMap, diagnostics: Diagnostic[]) {
    this.root = root;
    this.doc = doc;
    this.map = map;
    this.diagnostics = diagnostics;
  }

  value(path: NodePath): Range {
    return this.map.value(this.doc, path);
  }

  key(path: NodePath): Range {
    return this.map.key(this.doc, path);
  }

  report(ruleId: string, message: string, place: Range): void {
    this.diagnostics.push(diagnostic(ruleId, 'error', message, { place: plainRange(place) }));
  }

  parse(): SigmaDocument | undefined {
    const root = this.root;
    if (!isObject(root)) {
      this.report(
        'sigma/invalid-structure',
        `Unexpected ${describe(root)}, expected a map of Sigma keys (\`title\`, \`logsource\`, \`detection\`)`,
        this.value([]),
      );
      return undefined;
    }
    if ('correlation' in root) return this.correlation(root);
    if ('filter' in root && !('detection' in root)) {
      const filter: SigmaFilter = {
        type: 'filter',
        ...this.metadata(root),
        logsource: this.logsource(root['logsource']),
        rules: isObject(root['filter']) ? this.stringList(root['filter']['rules'], ['filter', 'rules']) : [],
        filter: this.detection(root['filter'], 'filter'),
      };
      return filter;
    }
    const rule: SigmaRule = {
      type: 'rule',
      ...this.metadata(root),
      logsource: this.logsource(root['logsource']),
      detection: this.detection(root['detection'], 'detection'),
    };
    return rule;
  }

  metadata(root: Plain): SigmaMetadata {
    const meta: SigmaMetadata = {
      references: this.stringList(root['references'], ['references']),
      tags: this.stringList(root['tags'], ['tags']),
      falsepositives: this.stringList(root['falsepositives'], ['falsepositives']),
      fields: this.stringList(root['fields'], ['fields']),
      related: this.related(root['related']),
      raw: root,
      ranges: this.map.sourceRanges(this.doc),
      range: this.value([]),
    };
    for (const name of [
      'title',
      'id',
      'name',
      'status',
      'level',
      'description',
      'license',
      'author',
      'date',
      'modified',
    ] as const) {
      const value = this.string(root[name], [name]);
      if (value !== undefined) meta[name] = value;
    }
    return meta;
  }

  /** A scalar as a string; numbers and booleans are accepted as their text. */
  string(value: unknown, path: NodePath): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    this.report(
      'sigma/invalid-field-type',
      `Unexpected ${describe(value)} for \`${path.join('.')}\`, expected a string`,
      this.value(path),
    );
    return undefined;
  }

  /** A list of strings; a single string is read as a list of one. */
  stringList(value: unknown, path: NodePath): string[] {
    if (value === undefined || value === null) return [];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return [String(value)];
    if (Array.isArray(value)) {
      const out: string[] = [];
      value.forEach((item, i) => {
        if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') out.push(String(item));
        else {
          this.report(
            'sigma/invalid-field-type',
            `Unexpected ${describe(item)} in \`${path.join('.')}\`, expected a string`,
            this.value([...path, i]),
          );
        }
      });
      return out;
    }
    this.report(
      'sigma/invalid-field-type',
      `Unexpected ${describe(value)} for \`${path.join('.')}\`, expected a list of strings`,
      this.value(path),
    );
    return [];
  }

  related(value: unknown): { id: string; type: string }[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.report(
        'sigma/invalid-field-type',
        `Unexpected ${describe(value)} for \`related\`, expected a list of \`id\` and \`type\` maps`,
        this.value(['related']),
      );
      return [];
    }
    const out: { id: string; type: string }[] = [];
    value.forEach((item, i) => {
      if (!isObject(item)) {
        this.report(
          'sigma/invalid-field-type',
          `Unexpected ${describe(item)} in \`related\`, expected a map with \`id\` and \`type\``,
          this.value(['related', i]),
        );
        return;
      }
      out.push({ id: String(item['id'] ?? ''), type: String(item['type'] ?? '') });
    });
    return out;
  }

  logsource(value: unknown): Logsource {
    const logsource: Logsource = {};
    if (value === undefined || value === null) return logsource;
    if (!isObject(value)) {
      this.report(
        'sigma/invalid-structure',
        `Unexpected ${describe(value)} for \`logsource\`, expected a map (\`category\`, \`product\`, \`service\`)`,
        this.value(['logsource']),
      );
      return logsource;
    }
    for (const name of ['product', 'category', 'service', 'definition'] as const) {
      const text = this.string(value[name], ['logsource', name]);
      if (text !== undefined) logsource[name] = text;
    }
    return logsource;
  }

  /** The `detection` map of a rule, or the `filter` map of a filter (which also holds `rules`). */
  detection(value: unknown, section: 'detection' | 'filter'): SigmaDetection {
    const detection: SigmaDetection = { searches: [], condition: undefined, conditionText: [], conditions: [] };
    if (value === undefined || value === null) return detection;
    if (!isObject(value)) {
      this.report(
        'sigma/invalid-structure',
        `Unexpected ${describe(value)} for \`${section}\`, expected a map of search identifiers and a \`condition\``,
        this.value([section]),
      );
      return detection;
    }
    detection.conditionRange = this.key([section]);
    for (const name of Object.keys(value)) {
      const item = value[name];
      const path = [section, name];
      if (name === 'condition') {
        detection.conditionRange = this.key(path);
        this.conditions(item, path, detection);
        continue;
      }
      if (name === 'timeframe') {
        const text = this.string(item, path);
        if (text !== undefined) detection.timeframe = text;
        continue;
      }
      if (section === 'filter' && name === 'rules') continue;
      const search = this.search(item, name, path);
      if (search) detection.searches.push({ name, search, range: this.key(path) });
    }
    const conditions = detection.conditions!;
    const nodes = conditions.flatMap((c) => (c.node ? [c.node] : []));
    if (nodes.length === 1 && conditions.length === 1) detection.condition = nodes[0];
    else if (nodes.length > 1 && nodes.length === conditions.length) {
      const first = nodes[0]!.range;
      const last = nodes[nodes.length - 1]!.range;
      detection.condition = { type: 'or', children: nodes, range: this.span(first, last) };
    }
    return detection;
  }

  span(first: Range, last: Range): Range {
    return joinRanges(first, last);
  }

  conditions(value: unknown, path: NodePath, detection: SigmaDetection): void {
    const items: { value: unknown; path: NodePath }[] = Array.isArray(value)
      ? value.map((v, i) => ({ value: v, path: [...path, i] }))
      : [{ value, path }];
    for (const item of items) {
      if (typeof item.value !== 'string') {
        this.report(
          'sigma/invalid-structure',
          `Unexpected ${describe(item.value)} for \`condition\`, expected a condition string such as \`selection and not filter\``,
          this.value(item.path),
        );
        continue;
      }
      const text = item.value;
      const placer = this.map.placer(this.doc, item.path, 'value');
      const parsed = parseCondition(text, placer);
      const entry: ParsedCondition = { text, range: this.value(item.path) };
      if (parsed.ok) entry.node = parsed.node;
      else {
        entry.error = { message: parsed.error.message, range: placer(parsed.error.start, parsed.error.end) };
        if (parsed.error.expected) entry.error.expected = parsed.error.expected;
        if (parsed.error.aggregation) entry.error.aggregation = true;
      }
      detection.conditionText.push(text);
      detection.conditions!.push(entry);
    }
  }

  search(value: unknown, name: string, path: NodePath): Search | undefined {
    if (value === null || value === undefined) {
      this.report(
        'sigma/invalid-search',
        `Unexpected empty search identifier \`${name}\`, expected a map of fields or a list of values`,
        this.key(path),
      );
      return undefined;
    }
    if (isObject(value)) return this.fieldsSearch(value, path);
    if (Array.isArray(value)) {
      const alternatives: Search[] = [];
      let keywords: SigmaValue[] = [];
      const flush = (): void => {
        if (keywords.length === 0) return;
        alternatives.push({
          type: 'keywords',
          modifiers: [],
          values: keywords,
          range: this.span(keywords[0]!.range, keywords[keywords.length - 1]!.range),
        });
        keywords = [];
      };
      value.forEach((item, i) => {
        if (isObject(item)) {
          flush();
          alternatives.push(this.fieldsSearch(item, [...path, i]));
        } else if (Array.isArray(item)) {
          this.report(
            'sigma/invalid-search',
            `Unexpected list in search identifier \`${name}\`, expected a value or a map of fields`,
            this.value([...path, i]),
          );
        } else keywords.push(this.sigmaValue(item, [...path, i]));
      });
      flush();
      const range = this.value(path);
      if (alternatives.length === 1 && alternatives[0]!.type === 'keywords') return { ...alternatives[0]!, range };
      return { type: 'any-of', alternatives, range };
    }
    return { type: 'keywords', modifiers: [], values: [this.sigmaValue(value, path)], range: this.value(path) };
  }

  fieldsSearch(value: Plain, path: NodePath): Search {
    const matchers: FieldMatcher[] = [];
    for (const keyText of Object.keys(value)) {
      const item = value[keyText];
      const itemPath = [...path, keyText];
      const keyRange = this.key(itemPath);
      const bar = keyText.indexOf('|');
      const field = bar === -1 ? keyText : keyText.slice(0, bar);
      const modifiers: ModifierUse[] = [];
      if (bar !== -1) {
        const place = this.map.placer(this.doc, itemPath, 'key');
        let at = bar;
        for (const part of keyText.slice(bar + 1).split('|')) {
          const start = at + 1;
          modifiers.push({ name: part, range: place(start, start + part.length) });
          at = start + part.length;
        }
      }
      const matcher: FieldMatcher = {
        field: field === '' ? null : field,
        modifiers,
        values: [],
        keyRange,
        range: this.value(itemPath),
      };
      if (Array.isArray(item)) {
        matcher.list = true;
        item.forEach((v, i) => {
          if (Array.isArray(v) || isObject(v)) {
            this.report(
              'sigma/invalid-value',
              `Unexpected ${describe(v)} in the values of \`${keyText}\`, expected a string, number, boolean or null`,
              this.value([...itemPath, i]),
            );
          } else matcher.values.push(this.sigmaValue(v, [...itemPath, i]));
        });
      } else if (isObject(item)) {
        this.report(
          'sigma/invalid-value',
          `Unexpected map as the value of \`${keyText}\`, expected a value or a list of values`,
          this.value(itemPath),
        );
      } else matcher.values.push(this.sigmaValue(item, itemPath));
      matchers.push(matcher);
    }
    return { type: 'fields', matchers, range: this.value(path) };
  }

  sigmaValue(value: unknown, path: NodePath): SigmaValue {
    const range = this.value(path);
    if (value === null || value === undefined) return { type: 'null', range };
    if (typeof value === 'string') return { type: 'string', value, range };
    if (typeof value === 'number') return { type: 'number', value, raw: String(value), range };
    if (typeof value === 'boolean') return { type: 'boolean', value, range };
    return { type: 'string', value: String(value), range };
  }

  correlation(root: Plain): SigmaCorrelation | undefined {
    const body = root['correlation'];
    if (!isObject(body)) {
      this.report(
        'sigma/invalid-structure',
        `Unexpected ${describe(body)} for \`correlation\`, expected a map with \`type\`, \`rules\`, \`timespan\` and \`condition\``,
        this.value(['correlation']),
      );
      return undefined;
    }
    const typeText = typeof body['type'] === 'string' ? body['type'] : '';
    const correlationType = (CORRELATION_TYPES as readonly string[]).includes(typeText)
      ? (typeText as CorrelationType)
      : undefined;
    if (!correlationType) {
      // Without a known type there is nothing to evaluate, so the document is reported here and dropped.
      const near = suggest(typeText, CORRELATION_TYPES);
      this.diagnostics.push(
        diagnostic(
          'sigma/invalid-correlation',
          'error',
          `Unexpected correlation type ${typeText ? '`' + typeText + '`' : '(none)'}, expected ${(near.length ? near : CORRELATION_TYPES).map((t) => '`' + t + '`').join(near.length ? ' or ' : ', ')}`,
          { place: plainRange(this.value(typeText ? ['correlation', 'type'] : ['correlation'])), expected: near },
        ),
      );
      return undefined;
    }
    const timespan = this.string(body['timespan'], ['correlation', 'timespan']) ?? '';
    const condition: CorrelationCondition = {};
    const plain = body['condition'];
    if (isObject(plain)) {
      for (const op of ['gt', 'gte', 'lt', 'lte', 'eq', 'neq', 'percentile'] as const) {
        if (typeof plain[op] === 'number') condition[op] = plain[op];
      }
      const field = plain['field'];
      if (typeof field === 'string') condition.field = field;
      else if (Array.isArray(field) && typeof field[0] === 'string') condition.field = field[0];
    }
    const aliases: Record<string, Record<string, string>> = {};
    if (isObject(body['aliases'])) {
      for (const [alias, map] of Object.entries(body['aliases'])) {
        if (isObject(map)) aliases[alias] = Object.fromEntries(Object.entries(map).map(([k, v]) => [k, String(v)]));
      }
    }
    const generate = body['generate'] === true || root['generate'] === true;
    const correlation: SigmaCorrelation = {
      type: 'correlation',
      ...this.metadata(root),
      correlationType,
      rules: this.stringList(body['rules'], ['correlation', 'rules']),
      groupBy: this.stringList(body['group-by'], ['correlation', 'group-by']),
      timespan,
      timespanMs: parseTimespan(timespan) ?? 0,
      condition,
      aliases,
      generate,
    };
    return correlation;
  }
}

/** A correlation timespan (`90m`, `1h`, `2d`) in milliseconds, or undefined when it has another form. */
export function parseTimespan(text: string): number | undefined {
  const match = /^(\d+)([smhdwMy])$/.exec(text);
  if (!match) return undefined;
  const units: Record<string, number> = { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7, w: 6.048e8, M: 2.592e9, y: 3.1536e10 };
  return Number(match[1]) * units[match[2]!]!;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'empty value';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'map';
  if (typeof value === 'string') return `string \`${value.length > 40 ? value.slice(0, 40) + '…' : value}\``;
  return `${typeof value} \`${String(value)}\``;
}
