/**
 * A fast loader for the plain block YAML that Sigma rules are written in:
 * block maps and lists, one-line plain and quoted scalars, `|` / `|-` literal
 * blocks, comments and `---` between documents. It gives the same values as
 * js-yaml with the core schema (plain scalars are resolved by js-yaml's own
 * null, bool, int and float types), about three times faster, because a
 * catalog of thousands of rules spends most of its parse time in YAML.
 *
 * Anything else (flow collections, anchors, tags, folded or multi-line
 * scalars, tabs, duplicate keys, unusual escapes, anything malformed) makes it
 * return undefined, and the caller loads the text with js-yaml as before. It
 * never decides that text is invalid: that stays with js-yaml and `yaml`.
 */
import jsyaml from 'js-yaml';

/** Thrown inside the loader when the text leaves the supported subset. */
const BAIL = Symbol('not simple YAML');

/**
 * Characters the loader does not handle: tabs, carriage returns, a BOM,
 * surrogates, Unicode line separators, and the controls js-yaml rejects.
 */
// eslint-disable-next-line no-control-regex
const UNSUPPORTED = /[\x00-\x09\x0B-\x1F\x7F-\x9F\u2028\u2029\uD800-\uDFFF\uFEFF\uFFFE\uFFFF]/;

/** First characters that cannot start a plain scalar (or start something this loader leaves to js-yaml). */
const NOT_PLAIN_START = new Set(['[', ']', '{', '}', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`', ',']);

/** First characters of plain scalars that may resolve to null, a boolean or a number. */
const MAYBE_TYPED = /^[-+.0-9~nNtTfF]/;

// js-yaml's own implicit types of the core schema, in its order (`types` is exported but not in @types/js-yaml).
const { types } = jsyaml as unknown as { types: Record<'null' | 'bool' | 'int' | 'float', jsyaml.Type> };
const IMPLICIT = [types.null, types.bool, types.int, types.float];

const SEPARATOR = /^---( +(#.*)?)?$/;

/** The documents of `text` as js-yaml's `loadAll` (core schema) gives them, or undefined outside the subset. */
export function loadSimpleYaml(text: string): unknown[] | undefined {
  if (UNSUPPORTED.test(text)) return undefined;
  try {
    return new Loader(text).documents();
  } catch (error) {
    if (error === BAIL) return undefined;
    throw error;
  }
}

function bail(): never {
  throw BAIL;
}

/** `text` without trailing spaces (not `trimEnd`: YAML trims only spaces and tabs, never U+00A0 and the like). */
function trimSpaces(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 32) end--;
  return end === text.length ? text : text.slice(0, end);
}

function indentOf(line: string): number {
  let i = 0;
  while (line.charCodeAt(i) === 32) i++;
  return i;
}

function isSeqItem(line: string, col: number): boolean {
  return line.charCodeAt(col) === 45 && (col + 1 === line.length || line.charCodeAt(col + 1) === 32);
}

/** A plain scalar's value as the core schema types it. */
function resolvePlain(text: string): unknown {
  const c = text.charCodeAt(0);
  // Letters start only `null`, `true`, `false` (and their capitalised forms), `.inf` and `.nan` start with a dot.
  if (c >= 65 && text.length > 5) return text;
  if (text === '' || MAYBE_TYPED.test(text)) {
    for (const type of IMPLICIT) if (type.resolve(text)) return type.construct(text) as unknown;
  }
  return text;
}

/** A scalar read from one line: its value and where the line continues. */
interface Read {
  value: unknown;
  end: number;
}

class Loader {
  readonly lines: string[];
  /** Indent of each line; -1 for lines with only spaces and perhaps a comment. */
  readonly indents: Int32Array;
  /** Index of the current line. */
  pos = 0;
  /** Index one past the last line of the current document. */
  end = 0;
  constructor(text: string) {
    const lines = (this.lines = text.split('\n'));
    const indents = (this.indents = new Int32Array(lines.length));
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      const indent = indentOf(line);
      indents[i] = indent === line.length || line.charCodeAt(indent) === 35 ? -1 : indent;
    }
  }

  documents(): unknown[] {
    const out: unknown[] = [];
    const lines = this.lines;
    let start = 0;
    for (let i = 0; i <= lines.length; i++) {
      const line = lines[i];
      if (line !== undefined) {
        const c = line.charCodeAt(0);
        if (c === 37 || (c === 46 && line.startsWith('...'))) bail();
        if (c !== 45 || !line.startsWith('---')) continue;
        if (!SEPARATOR.test(line)) bail();
      }
      const value = this.document(start, i);
      // js-yaml reads nothing before a first `---` as no document at all.
      if (value !== undefined || start > 0) out.push(value ?? null);
      start = i + 1;
    }
    return out;
  }

  /** One document: lines [from, to). Undefined when it holds only blanks and comments. */
  document(from: number, to: number): unknown {
    this.pos = from;
    this.end = to;
    if (!this.skipBlank()) return undefined;
    const value = this.block(this.indents[this.pos]!, -1);
    if (this.skipBlank()) bail();
    return value;
  }

  /** Moves to the next line with content; false at the end of the document. */
  skipBlank(): boolean {
    while (this.pos < this.end && this.indents[this.pos] === -1) this.pos++;
    return this.pos < this.end;
  }

  /** A block node whose first line is the current line, at column `col`; `parent` is the enclosing indent. */
  block(col: number, parent: number): unknown {
    const line = this.lines[this.pos]!;
    if (col <= parent) bail();
    if (isSeqItem(line, col)) return this.sequence(col);
    if (this.keyEnd(line, col) !== -1) return this.mapping(col);
    return bail();
  }

  /** A block list whose items start at column `col`, the first on the current line. */
  sequence(col: number): unknown[] {
    const out: unknown[] = [];
    // A key at the list's own indent ends a list that is the value of a key at that indent.
    for (let first = true; first || this.nextEntry(col, true); first = false) {
      const line = this.lines[this.pos]!;
      let at = col + 1;
      while (line.charCodeAt(at) === 32) at++;
      if (at === line.length || line.charCodeAt(at) === 35) {
        // `-` alone: the item is on the following lines, or empty. js-yaml reads an empty item of a list that
        // starts on its parent's line (`- -`) differently, so that one is left to it.
        if (this.indents[this.pos] !== col) bail();
        this.pos++;
        if (this.skipBlank() && this.indents[this.pos]! > col) {
          out.push(this.block(this.indents[this.pos]!, col));
        } else out.push(null);
        continue;
      }
      if (at === col + 1) bail();
      if (isSeqItem(line, at) || this.keyEnd(line, at) !== -1) {
        out.push(this.block(at, col));
        continue;
      }
      out.push(this.inlineValue(line, at, col));
    }
    return out;
  }

  /**
   * Moves to the next entry of a block list (`item`) or map at column `col`: false when the block has ended (the
   * document ends, a line is less indented, or the line at `col` is the other kind of entry).
   */
  nextEntry(col: number, item: boolean): boolean {
    if (!this.skipBlank()) return false;
    const indent = this.indents[this.pos]!;
    if (indent < col) return false;
    if (indent > col) bail();
    return isSeqItem(this.lines[this.pos]!, col) === item;
  }

  /** A block map whose keys start at column `col`, the first on the current line. */
  mapping(col: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (let first = true; first || this.nextEntry(col, false); first = false) {
      const line = this.lines[this.pos]!;
      const colon = this.keyEnd(line, col);
      if (colon === -1) bail();
      const key = this.key(line, col, colon);
      if (Object.hasOwn(out, key) || key === '__proto__' || key === '<<') bail();
      let at = colon + 1;
      while (line.charCodeAt(at) === 32) at++;
      if (at === line.length || line.charCodeAt(at) === 35) {
        // `key:` alone: the value is on the following lines (a list may sit at the key's own indent), or empty.
        this.pos++;
        if (this.skipBlank()) {
          const next = this.lines[this.pos]!;
          const indent = this.indents[this.pos]!;
          if (indent > col) {
            out[key] = this.block(indent, col);
            continue;
          }
          if (indent === col && isSeqItem(next, col)) {
            out[key] = this.sequence(col);
            continue;
          }
        }
        out[key] = null;
        continue;
      }
      if (at === colon + 1) bail();
      const c = line.charCodeAt(at);
      if (c === 124) out[key] = this.literal(line, at, col);
      else out[key] = this.inlineValue(line, at, col);
    }
    return out;
  }

  /**
   * Where the `:` of a `key:` entry starting at `col` is, or -1 when the text
   * there is not a map entry.
   */
  keyEnd(line: string, col: number): number {
    const c = line.charCodeAt(col);
    let at: number;
    if (c === 39 || c === 34) {
      at = (c === 39 ? this.singleQuoted(line, col) : this.doubleQuoted(line, col)).end;
      if (line.charCodeAt(at) !== 58) return -1;
    } else {
      at = line.indexOf(':', col);
      for (;;) {
        if (at === -1) return -1;
        const next = line.charCodeAt(at + 1);
        if (at + 1 === line.length || next === 32) break;
        at = line.indexOf(':', at + 1);
      }
      const hash = line.lastIndexOf(' #', at);
      if (hash >= col) return -1;
    }
    const after = line.charCodeAt(at + 1);
    return at + 1 === line.length || after === 32 ? at : -1;
  }

  /** The key of an entry whose `:` is at `colon`. */
  key(line: string, col: number, colon: number): string {
    const c = line.charCodeAt(col);
    if (c === 39) return this.singleQuoted(line, col).value as string;
    if (c === 34) return this.doubleQuoted(line, col).value as string;
    if (NOT_PLAIN_START.has(line[col]!) || ((c === 45 || c === 63 || c === 58) && line.charCodeAt(col + 1) === 32)) {
      bail();
    }
    const text = trimSpaces(line.slice(col, colon));
    if (text === '' || text.length > 1024 || typeof resolvePlain(text) !== 'string') bail();
    return text;
  }

  /** A scalar that starts at `at` on the current line and ends with it; the next line must leave the node. */
  inlineValue(line: string, at: number, parent: number): unknown {
    const c = line.charCodeAt(at);
    let value: unknown;
    if (c === 39 || c === 34) {
      const read = c === 39 ? this.singleQuoted(line, at) : this.doubleQuoted(line, at);
      let rest = read.end;
      while (line.charCodeAt(rest) === 32) rest++;
      if (rest !== line.length && line.charCodeAt(rest) !== 35) bail();
      if (rest !== line.length && rest === read.end) bail();
      value = read.value;
    } else {
      if (NOT_PLAIN_START.has(line[at]!)) bail();
      if ((c === 45 || c === 63 || c === 58) && (at + 1 === line.length || line.charCodeAt(at + 1) === 32)) bail();
      let text = line.slice(at);
      const hash = text.indexOf(' #');
      if (hash !== -1) text = text.slice(0, hash);
      text = trimSpaces(text);
      if (text.includes(': ') || text.endsWith(':')) bail();
      value = resolvePlain(text);
    }
    this.pos++;
    // A more indented line after a one-line scalar would continue it (or be an error): js-yaml decides.
    if (this.skipBlank() && this.indents[this.pos]! > parent) bail();
    return value;
  }

  /** `'…'` on one line; `''` is a quote. */
  singleQuoted(line: string, at: number): Read {
    let value = '';
    let from = at + 1;
    for (;;) {
      const close = line.indexOf("'", from);
      if (close === -1) bail();
      value += line.slice(from, close);
      if (line.charCodeAt(close + 1) === 39) {
        value += "'";
        from = close + 2;
        continue;
      }
      return { value, end: close + 1 };
    }
  }

  /** `"…"` on one line, with the common escapes. */
  doubleQuoted(line: string, at: number): Read {
    let value = '';
    let i = at + 1;
    let from = i;
    for (;;) {
      if (i >= line.length) bail();
      const c = line.charCodeAt(i);
      if (c === 34) return { value: value + line.slice(from, i), end: i + 1 };
      if (c !== 92) {
        i++;
        continue;
      }
      value += line.slice(from, i);
      const e = line[i + 1];
      let width = 0;
      switch (e) {
        case '\\':
        case '"':
        case '/':
          value += e;
          break;
        case 'n':
          value += '\n';
          break;
        case 't':
          value += '\t';
          break;
        case 'r':
          value += '\r';
          break;
        case '0':
          value += '\0';
          break;
        case 'x':
          width = 2;
          break;
        case 'u':
          width = 4;
          break;
        default:
          bail();
      }
      if (width) {
        const hex = line.slice(i + 2, i + 2 + width);
        if (hex.length !== width || !/^[0-9a-fA-F]+$/.test(hex)) bail();
        const code = parseInt(hex, 16);
        if (code >= 0xd800 && code <= 0xdfff) bail();
        value += String.fromCharCode(code);
      }
      i += 2 + width;
      from = i;
    }
  }

  /** A `|` or `|-` literal block for a key or item at indent `parent`; the header is at `at`. */
  literal(line: string, at: number, parent: number): string {
    let header = line.slice(at + 1);
    const hash = header.indexOf(' #');
    if (hash !== -1) header = header.slice(0, hash);
    header = trimSpaces(header);
    if (header !== '' && header !== '-') bail();
    this.pos++;
    const lines = this.lines;
    if (this.pos >= this.end) bail();
    const firstLine = lines[this.pos]!;
    const indent = indentOf(firstLine);
    if (indent === firstLine.length || indent <= parent) bail();
    const body: string[] = [];
    let blanks = 0;
    while (this.pos < this.end) {
      const text = lines[this.pos]!;
      const spaces = indentOf(text);
      if (spaces === text.length) {
        if (spaces > indent) bail();
        blanks++;
        this.pos++;
        continue;
      }
      if (spaces < indent) break;
      for (; blanks > 0; blanks--) body.push('');
      body.push(text.slice(indent));
      this.pos++;
    }
    // Trailing blank lines are dropped by both chompings used here; the lines after them leave the node.
    if (this.skipBlank() && this.indents[this.pos]! > parent) bail();
    return body.join('\n') + (header === '-' ? '' : '\n');
  }
}
