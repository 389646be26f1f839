/**
 * Source ranges of Sigma documents, resolved lazily.
 *
 * Values are loaded with js-yaml, which is several times faster than the
 * `yaml` package but keeps no positions. Positions come from the `yaml`
 * package's syntax tree, parsed only when a range is first read (in practice:
 * when a diagnostic is reported), and looked up by the path of the node
 * (`['detection', 'selection', 'Image|endswith', 0]`). A clean rule therefore
 * never pays for a second parse.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, Scalar, type Document, type Node } from 'yaml';
import type { Range } from '../diagnostics.ts';
import type { LineIndex } from '../text/source.ts';
import type { SourceRanges } from './model.ts';

/** A path to a node: map keys and list indexes. */
export type NodePath = readonly (string | number)[];

/**
 * A range whose points are computed on first read. Classes with getters on
 * their prototype, because object literals with accessors are slow to create
 * and a rule has dozens of ranges that are never read; the subclasses keep
 * what they need to compute the range as plain fields (no closure, no state
 * object), so an unread range is one small allocation. `toJSON` keeps it
 * printable as plain `{ start, end }`.
 */
const STATE = Symbol('lazy range');

abstract class LazyRange implements Range {
  // A symbol-keyed field (not a private one): tools that copy objects keep it, so getters still work on copies.
  [STATE]: Range | undefined = undefined;
  get start(): Range['start'] {
    return resolved(this).start;
  }
  get end(): Range['end'] {
    return resolved(this).end;
  }
  toJSON(): Range {
    return plainRange(this);
  }
  /** Computes the range; called once. */
  abstract compute(): Range;
}

function resolved(range: LazyRange): Range {
  return (range[STATE] ??= range.compute());
}

/** A range computed by a function. */
class FunctionRange extends LazyRange {
  resolve: (() => Range) | undefined;
  constructor(resolve: () => Range) {
    super();
    this.resolve = resolve;
  }
  compute(): Range {
    const range = this.resolve!();
    this.resolve = undefined;
    return range;
  }
}

/** The range of the key or value at a path of a document, found in the `yaml` syntax tree on first read. */
class NodeRange extends LazyRange {
  map: YamlSourceMap | undefined;
  readonly doc: number;
  readonly path: NodePath;
  readonly which: 'key' | 'value';
  constructor(map: YamlSourceMap, doc: number, path: NodePath, which: 'key' | 'value') {
    super();
    this.map = map;
    this.doc = doc;
    this.path = path;
    this.which = which;
  }
  compute(): Range {
    const map = this.map!;
    this.map = undefined;
    const found = map.find(this.doc, this.path);
    const node = this.which === 'key' ? (found?.key ?? found?.value) : (found?.value ?? found?.key);
    return map.rangeOf(node, this.doc);
  }
}

/** A range whose points are computed on first read. */
export function lazyRange(resolve: () => Range): Range {
  return new FunctionRange(resolve);
}

/** A plain-data copy of a range (lazy or not), for diagnostics and serialisation. */
export function plainRange(range: Range): Range {
  const start = { ...range.start };
  const end = range.end;
  return end ? { start, end: { ...end } } : { start };
}

const QUOTED = new Set<string>([Scalar.QUOTE_SINGLE, Scalar.QUOTE_DOUBLE]);

/** The `yaml` syntax trees of one source, parsed on first use. */
export class YamlSourceMap {
  readonly text: string;
  readonly index: LineIndex;
  #docs: Document.Parsed[] | undefined;
  constructor(text: string, index: LineIndex, docs?: Document.Parsed[]) {
    this.text = text;
    this.index = index;
    this.#docs = docs;
  }

  /** The non-empty YAML documents of the source, in order. */
  documents(): Document.Parsed[] {
    if (!this.#docs) {
      this.#docs = nonEmpty(parseAllDocuments(this.text, { prettyErrors: false }) as Document.Parsed[]);
    }
    return this.#docs;
  }

  /** The key and value nodes at `path` in document `doc`. */
  find(doc: number, path: NodePath): { key: Node | null; value: Node | null } | undefined {
    const document = this.documents()[doc];
    if (!document) return undefined;
    let key: Node | null = null;
    let value: Node | null = deref(document, document.contents as Node | null);
    for (const segment of path) {
      if (isMap(value)) {
        const pair = value.items.find((p) => isPair(p) && keyName(deref(document, p.key as Node)) === String(segment));
        if (!pair) return undefined;
        key = deref(document, pair.key as Node);
        value = deref(document, pair.value as Node | null);
      } else if (isSeq(value) && typeof segment === 'number') {
        key = null;
        value = deref(document, (value.items[segment] as Node | undefined) ?? null);
        if (!value) return undefined;
      } else return undefined;
    }
    return { key, value };
  }

  /** The file range of a node, or the start of the document when it is not found. */
  rangeOf(node: Node | null | undefined, doc: number): Range {
    const r = node?.range ?? this.documents()[doc]?.contents?.range;
    return r ? this.index.range(r[0], r[1]) : this.index.range(0, 0);
  }

  /** Lazy range of the value at `path` (of the key when there is no value). */
  value(doc: number, path: NodePath): Range {
    return new NodeRange(this, doc, path, 'value');
  }

  /** Lazy range of the key at `path` (of the value for list items). */
  key(doc: number, path: NodePath): Range {
    return new NodeRange(this, doc, path, 'key');
  }

  /**
   * Lazy ranges of offsets inside the string at `path` (the key when `which`
   * is `key`): a modifier inside `Image|endswith`, a token of a condition.
   */
  placer(doc: number, path: NodePath, which: 'key' | 'value'): (start: number, end: number) => Range {
    let map: ((start: number, end: number) => Range) | undefined;
    const resolve = (): ((start: number, end: number) => Range) => {
      if (map) return map;
      const found = this.find(doc, path);
      const node = which === 'key' ? found?.key : found?.value;
      if (!isScalar(node)) {
        const whole = this.rangeOf(node ?? found?.key ?? found?.value, doc);
        return (map = () => whole);
      }
      return (map = scalarPlacer(node, this.text, this.index));
    };
    return (start, end) => lazyRange(() => resolve()(start, end));
  }

  /** {@link SourceRanges} of one document, by dotted path. */
  sourceRanges(doc: number): SourceRanges {
    return {
      key: (path) => this.#dotted(doc, path, 'key'),
      value: (path) => this.#dotted(doc, path, 'value'),
    };
  }

  #dotted(doc: number, path: string, which: 'key' | 'value'): Range | undefined {
    const document = this.documents()[doc];
    if (!document) return undefined;
    const root = deref(document, document.contents as Node | null);
    const found = path === '' ? { key: null, value: root } : findDotted(document, root, path);
    const node = which === 'key' ? (found?.key ?? found?.value) : (found?.value ?? found?.key);
    return node?.range ? this.index.range(node.range[0], node.range[1]) : undefined;
  }
}

/** Documents that hold something (a trailing `---` makes an empty one). */
export function nonEmpty(docs: Document.Parsed[]): Document.Parsed[] {
  return docs.filter(
    (d) => d.errors.length > 0 || !(d.contents === null || (isScalar(d.contents) && d.contents.value === null)),
  );
}

function deref(doc: Document.Parsed, node: Node | null | undefined): Node | null {
  if (isAlias(node)) {
    try {
      return (node.resolve(doc) as Node | undefined) ?? null;
    } catch {
      return null;
    }
  }
  return node ?? null;
}

function keyName(node: Node | null): string {
  return isScalar(node) ? String(node.value) : '';
}

/** Keys may contain dots themselves, so each map tries its keys as prefixes of the path. */
function findDotted(
  doc: Document.Parsed,
  node: Node | null,
  path: string,
): { key: Node | null; value: Node | null } | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = deref(doc, pair.key as Node);
      const key = keyName(keyNode);
      const value = deref(doc, pair.value as Node | null);
      if (key === path) return { key: keyNode, value };
      if (path.startsWith(key + '.')) {
        const deeper = findDotted(doc, value, path.slice(key.length + 1));
        if (deeper) return deeper;
      }
    }
    return undefined;
  }
  if (isSeq(node)) {
    const dot = path.indexOf('.');
    const head = dot === -1 ? path : path.slice(0, dot);
    if (!/^\d+$/.test(head)) return undefined;
    const item = deref(doc, (node.items[Number(head)] as Node | undefined) ?? null);
    if (!item) return undefined;
    return dot === -1 ? { key: null, value: item } : findDotted(doc, item, path.slice(dot + 1));
  }
  return undefined;
}

/**
 * Maps offsets in a scalar's value to file ranges. Plain and simple quoted
 * scalars map one to one; block, folded and escaped scalars are aligned
 * character by character against their source, so a token on line 3 of a
 * `>` block condition is reported on line 3.
 */
export function scalarPlacer(node: Scalar, text: string, index: LineIndex): (start: number, end: number) => Range {
  const value = String(node.value);
  const [from, to] = node.range ?? [0, 0];
  const src = text.slice(from, to);
  let shift = -1;
  if (node.type === Scalar.PLAIN && src === value) shift = from;
  else if (QUOTED.has(node.type ?? '') && src.length === value.length + 2 && src.slice(1, -1) === value)
    shift = from + 1;
  if (shift >= 0) {
    return (start, end) => {
      const s = Math.max(0, Math.min(start, value.length));
      const e = Math.max(s, Math.min(end, value.length));
      return index.range(shift + s, shift + e);
    };
  }
  const map = new Array<number>(value.length + 1);
  let j = 0;
  if (node.type === Scalar.BLOCK_FOLDED || node.type === Scalar.BLOCK_LITERAL) {
    const nl = src.indexOf('\n');
    j = nl === -1 ? src.length : nl + 1;
  } else if (QUOTED.has(node.type ?? '')) j = 1;
  for (let i = 0; i < value.length; i++) {
    let k = j;
    while (k < src.length && src[k] !== value[i]) k++;
    if (k < src.length) {
      map[i] = k;
      j = k + 1;
    } else map[i] = Math.min(j, src.length);
  }
  map[value.length] = Math.min(j, src.length);
  return (start, end) => {
    const s = map[Math.max(0, Math.min(start, value.length))]!;
    const e = end > start ? map[Math.min(end - 1, value.length)]! + 1 : s;
    return index.range(from + s, from + Math.max(s, e));
  };
}
