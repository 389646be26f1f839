/**
 * A fast path for the common shape of a detection document. It builds the
 * exact mdast that remark-parse + remark-frontmatter + remark-gfm build (same
 * nodes, same values, same positions), but only for a conservative subset of
 * Markdown: YAML frontmatter, ATX headings, paragraphs, top-level fenced code,
 * tight lists of one-paragraph items, and inline text with code spans, simple
 * `*emphasis*`/`**strong**`, `[text](url)` links, `<https://…>` autolinks and
 * bare `https://` URLs.
 *
 * Anything outside that subset (HTML, tables, block quotes, escapes, entity
 * references, setext headings, indented code, loose lists, …) makes it return
 * `undefined`, and the caller parses the document with micromark as before.
 * micromark costs a few milliseconds per 4 KB document; this costs tens of
 * microseconds. tests/catalog/fast-markdown.test.ts checks the fast tree
 * against the full pipeline over every document we have.
 */
import type { Code, Heading, List, ListItem, Paragraph, PhrasingContent, Root, RootContent, Yaml } from 'mdast';
import type { Point } from 'unist';

/** Where each character of a block's inline text sits in the file. */
interface Segment {
  /** Index in the inline text where this line starts. */
  at: number;
  line: number;
  column: number;
  offset: number;
}

class Unsupported extends Error {}

function bail(): never {
  throw new Unsupported();
}

const FENCE = /^(`{3,}|~{3,})(.*)$/;
const ATX = /^(#{1,6})(?: +(.*))?$/;
const LIST_MARKER = /^([-*+]|\d{1,9}[.)])( |$)/;
/** Lines a paragraph must not hold: block starts and constructs outside the subset. */
const OFF_SUBSET_LINE =
  /^(?: {0,3}(?:[>|<]|=+ *$|-+ *$|([-*_])(?: *\1){2,} *$|`{3,}|~{3,}|#{1,6}(?: |$))|\d{1,9}[.)](?: |$)|[-*+](?: |$))/;
/** Characters where an inline construct of the subset may start. */
const SPECIAL = /[`*[!_<]|https?:\/\//gi;
/** `[text](url)`: plain text, a destination without spaces, parentheses or escapes, no title. */
const LINK = /\[([^[\]`*\\<>!^@]+)\]\(([^()\s<>\\&"']+)\)/y;
/** A bare `http(s)://` URL whose end GFM's trailing-punctuation rules leave alone (checked after). */
const URL_LITERAL = /https?:\/\/[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:\/[A-Za-z0-9/._=%#?-]*)?/y;
/** `<https://…>`: an autolink whose URL has no spaces, escapes, entities or angle brackets. */
const AUTOLINK = /<(https?:\/\/[A-Za-z0-9\-._~:/?#@!$'()*+,;=%]+)>/iy;
/** Characters the inline subset never accepts outside code spans. */
const OFF_SUBSET_CHAR = /[<\\~]|&#?[A-Za-z0-9]+;|www\.|@|mailto:|xmpp:|\]:/i;

/** The mdast of `text`, or `undefined` when it uses Markdown outside the fast subset. */
export function parseFastMarkdown(text: string): Root | undefined {
  if (text.includes('\r') || text.includes('\t') || text.includes('\0')) return undefined;
  try {
    return new FastParser(text).root();
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

class FastParser {
  readonly text: string;
  readonly lines: string[];
  readonly starts: number[];

  constructor(text: string) {
    this.text = text;
    this.lines = text.split('\n');
    this.starts = [];
    let offset = 0;
    for (const line of this.lines) {
      this.starts.push(offset);
      offset += line.length + 1;
    }
  }

  /** Point at 0-based line `i`, 0-based column `c`. */
  point(i: number, c: number): Point {
    return { line: i + 1, column: c + 1, offset: this.starts[i]! + c };
  }

  /** Lines `from` to `to` (exclusive) as one string: `lines.slice(from, to).join('\n')`, sliced from the text. */
  between(from: number, to: number): string {
    return to > from ? this.text.slice(this.starts[from], this.starts[to]! - 1) : '';
  }

  root(): Root {
    const children: RootContent[] = [];
    const n = this.lines.length;
    let i = 0;
    if (this.lines[0] === '---') {
      let j = 1;
      while (j < n && !this.lines[j]!.startsWith('---') && !this.lines[j]!.startsWith('...')) j++;
      if (j >= n || this.lines[j] !== '---') bail();
      const yaml: Yaml = {
        type: 'yaml',
        value: this.between(1, j),
        position: { start: this.point(0, 0), end: this.point(j, 3) },
      };
      children.push(yaml);
      i = j + 1;
    }
    while (i < n) {
      const line = this.lines[i]!;
      if (line.trim() === '') {
        if (line !== '') bail();
        i++;
        continue;
      }
      if (line.startsWith('```') || line.startsWith('~~~')) {
        i = this.code(i, children);
        continue;
      }
      if (line.startsWith('#')) {
        children.push(this.heading(i));
        i++;
        continue;
      }
      if (LIST_MARKER.test(line)) {
        i = this.list(i, children);
        continue;
      }
      i = this.paragraph(i, children);
    }
    return {
      type: 'root',
      children,
      position: { start: { line: 1, column: 1, offset: 0 }, end: this.point(n - 1, this.lines[n - 1]!.length) },
    };
  }

  code(i: number, out: RootContent[]): number {
    const open = FENCE.exec(this.lines[i]!)!;
    const marker = open[1]!;
    const info = open[2]!;
    if (marker[0] === '`' && info.includes('`')) bail();
    if (/[\\&]/.test(info) || info !== info.trimEnd()) bail();
    const closing = closingFence(marker);
    let j = i + 1;
    while (j < this.lines.length && !closing.test(this.lines[j]!)) j++;
    if (j >= this.lines.length) bail();
    const trimmed = info.trim();
    const space = trimmed.search(/ /);
    const lang = trimmed === '' ? null : space === -1 ? trimmed : trimmed.slice(0, space);
    const meta = space === -1 ? null : trimmed.slice(space).trim() || null;
    const node: Code = {
      type: 'code',
      lang,
      meta,
      value: this.between(i + 1, j),
      position: { start: this.point(i, 0), end: this.point(j, this.lines[j]!.length) },
    };
    out.push(node);
    return j + 1;
  }

  heading(i: number): Heading {
    const line = this.lines[i]!;
    const match = ATX.exec(line);
    if (!match) bail();
    const content = match[2] ?? '';
    if (content.endsWith('#') || content !== content.trim()) bail();
    const at = line.length - content.length;
    return {
      type: 'heading',
      depth: match[1]!.length as Heading['depth'],
      children:
        content === ''
          ? []
          : this.inline(content, [{ at: 0, line: i + 1, column: at + 1, offset: this.starts[i]! + at }]),
      position: { start: this.point(i, 0), end: this.point(i, line.length) },
    };
  }

  /** A paragraph of lines at column 1; returns the next line index. */
  paragraph(i: number, out: RootContent[]): number {
    const segments: Segment[] = [];
    const parts: string[] = [];
    let j = i;
    let at = 0;
    for (; j < this.lines.length; j++) {
      const line = this.lines[j]!;
      if (line === '') break;
      if (j > i && (line.startsWith('#') || line.startsWith('```') || line.startsWith('~~~')) && this.interrupts(line))
        break;
      this.checkLine(line);
      segments.push({ at, line: j + 1, column: 1, offset: this.starts[j]! });
      parts.push(line);
      at += line.length + 1;
    }
    const last = j - 1;
    const node: Paragraph = {
      type: 'paragraph',
      children: this.inline(parts.join('\n'), segments),
      position: { start: this.point(i, 0), end: this.point(last, this.lines[last]!.length) },
    };
    out.push(node);
    return j;
  }

  /** Whether a line starting with `#` or a fence starts a block (else it is paragraph text, outside the subset). */
  interrupts(line: string): boolean {
    if (line.startsWith('#') && ATX.test(line)) return true;
    if (FENCE.test(line)) return true;
    bail();
  }

  /** Text of a paragraph line: no leading or trailing space, no block syntax. */
  checkLine(line: string): void {
    if (line.startsWith(' ') || line.endsWith(' ')) bail();
    // A line may start with an autolink: `<https:` is no HTML tag (a tag name ends before the colon).
    if (!(line.startsWith('<') && startsWithAutolink(line)) && OFF_SUBSET_LINE.test(line)) bail();
    // A line of only pipes, dashes and colons could be a table's delimiter row.
    if (/^[ |:-]+$/.test(line)) bail();
  }

  /** A tight list of one-paragraph items at column 1; returns the next line index. */
  list(i: number, out: RootContent[]): number {
    const first = LIST_MARKER.exec(this.lines[i]!)!;
    const kind = listKind(first[1]!);
    const ordered = /\d/.test(first[1]![0]!);
    const items: ListItem[] = [];
    let j = i;
    while (j < this.lines.length) {
      const line = this.lines[j]!;
      const marker = LIST_MARKER.exec(line);
      if (!marker || listKind(marker[1]!) !== kind) break;
      if (marker[2] !== ' ') bail();
      const width = marker[1]!.length + 1;
      const content = line.slice(width);
      if (content === '' || content.startsWith(' ') || /^\[[ xX]\]/.test(content)) bail();
      this.checkLine(content);
      const segments: Segment[] = [{ at: 0, line: j + 1, column: width + 1, offset: this.starts[j]! + width }];
      const parts = [content];
      let at = content.length + 1;
      let k = j + 1;
      for (; k < this.lines.length; k++) {
        const next = this.lines[k]!;
        if (next === '') break;
        if (next.trim() === '' || LIST_MARKER.test(next)) {
          if (next.trim() === '') bail();
          break;
        }
        const indent = next.length - next.trimStart().length;
        if (indent !== 0 && indent !== width) bail();
        const rest = next.slice(indent);
        if (indent === 0 && (rest.startsWith('#') || rest.startsWith('```') || rest.startsWith('~~~'))) {
          if (this.interrupts(rest)) break;
        }
        this.checkLine(rest);
        segments.push({ at, line: k + 1, column: indent + 1, offset: this.starts[k]! + indent });
        parts.push(rest);
        at += rest.length + 1;
      }
      const last = k - 1;
      const end = this.point(last, this.lines[last]!.length);
      const paragraph: Paragraph = {
        type: 'paragraph',
        children: this.inline(parts.join('\n'), segments),
        position: { start: this.point(j, width), end },
      };
      items.push({
        type: 'listItem',
        spread: false,
        checked: null,
        children: [paragraph],
        position: { start: this.point(j, 0), end: { ...end } },
      });
      j = k;
      if (j < this.lines.length && this.lines[j] === '') {
        let b = j;
        while (b < this.lines.length && this.lines[b] === '') b++;
        // A blank line followed by more of the list would make it loose.
        const after = this.lines[b];
        if (after !== undefined && (after.startsWith(' ') || LIST_MARKER.test(after))) bail();
        break;
      }
    }
    const lastItem = items.at(-1)!;
    const list: List = {
      type: 'list',
      ordered,
      start: ordered ? Number.parseInt(first[1]!, 10) : null,
      spread: false,
      children: items,
      position: { start: this.point(i, 0), end: { ...lastItem.position!.end } },
    };
    out.push(list);
    return j;
  }

  /** Inline content of one block; `segments` map its indexes to file points. */
  inline(s: string, segments: Segment[]): PhrasingContent[] {
    const at = (k: number, end = false): Point => {
      let seg = segments[0]!;
      for (const candidate of segments) if (candidate.at <= k) seg = candidate;
      // Text that ends with a line ending ends before the next line's indentation.
      if (end && k === seg.at && k > 0) return { line: seg.line, column: 1, offset: seg.offset - seg.column + 1 };
      return { line: seg.line, column: seg.column + (k - seg.at), offset: seg.offset + (k - seg.at) };
    };
    const out: PhrasingContent[] = [];
    let textStart = 0;
    const flush = (end: number) => {
      if (end > textStart) {
        const value = s.slice(textStart, end);
        checkText(value); // also refuses brackets and the characters of OFF_SUBSET_CHAR
        out.push({ type: 'text', value, position: { start: at(textStart), end: at(end, true) } });
      }
    };
    let k = 0;
    while (k < s.length) {
      // Jump over plain text to the next character that may start an inline construct.
      SPECIAL.lastIndex = k;
      const next = SPECIAL.exec(s);
      if (!next) break;
      k = next.index;
      const ch = s[k]!;
      if (ch === '`') {
        if (s[k + 1] === '`' || s[k - 1] === '`') bail();
        const close = s.indexOf('`', k + 1);
        if (close === -1 || s[close + 1] === '`') bail();
        // mdast keeps a line ending inside a code span as it is.
        let value = s.slice(k + 1, close);
        if (value.startsWith('\n') || value.endsWith('\n')) bail();
        if (value.length > 2 && value.startsWith(' ') && value.endsWith(' ') && value.trim() !== '')
          value = value.slice(1, -1);
        else if (value.startsWith(' ') || value.endsWith(' ')) bail();
        flush(k);
        out.push({ type: 'inlineCode', value, position: { start: at(k), end: at(close + 1) } });
        k = textStart = close + 1;
        continue;
      }
      if (ch === '*') {
        const strong = s[k + 1] === '*';
        const size = strong ? 2 : 1;
        if (s[k + size] === '*') bail();
        const before = s[k - 1];
        if (before !== undefined && before !== ' ' && before !== '\n') bail();
        const close = s.indexOf('*', k + size);
        const inner = /^[A-Za-z0-9](?:[A-Za-z0-9 ,.'-]*[A-Za-z0-9])?$/.exec(s.slice(k + size, close));
        if (close === -1 || !inner) bail();
        if (s.slice(close, close + size) !== '*'.repeat(size) || s[close + size] === '*') bail();
        const after = s[close + size];
        if (after !== undefined && !/[ \n.,;:!?]/.test(after)) bail();
        flush(k);
        const child: PhrasingContent = {
          type: 'text',
          value: inner[0],
          position: { start: at(k + size), end: at(close) },
        };
        checkText(inner[0]);
        out.push({
          type: strong ? 'strong' : 'emphasis',
          children: [child],
          position: { start: at(k), end: at(close + size) },
        });
        k = textStart = close + size;
        continue;
      }
      if (ch === '[') {
        LINK.lastIndex = k;
        const link = LINK.exec(s);
        if (!link || /https?:|www\./i.test(link[1]!) || link[1] !== link[1]!.trim()) bail();
        const label = link[1]!;
        checkText(label);
        flush(k);
        out.push({
          type: 'link',
          title: null,
          url: link[2]!,
          children: [{ type: 'text', value: label, position: { start: at(k + 1), end: at(k + 1 + label.length) } }],
          position: { start: at(k), end: at(k + link[0].length) },
        });
        k = textStart = k + link[0].length;
        continue;
      }
      if ((ch === 'h' || ch === 'H') && /^https?:\/\//i.test(s.slice(k, k + 8))) {
        const before = s[k - 1];
        if (before !== undefined && before !== ' ' && before !== '\n') bail();
        URL_LITERAL.lastIndex = k;
        const url = URL_LITERAL.exec(s);
        if (!url || !/^https?:\/\//.test(url[0])) bail();
        const value = url[0];
        const after = s[k + value.length];
        if (after !== undefined && after !== ' ' && after !== '\n') bail();
        if (!/[A-Za-z0-9/]$/.test(value)) bail();
        flush(k);
        const position = { start: at(k), end: at(k + value.length) };
        out.push({
          type: 'link',
          title: null,
          url: value,
          children: [{ type: 'text', value, position: { start: { ...position.start }, end: { ...position.end } } }],
          position,
        });
        k = textStart = k + value.length;
        continue;
      }
      if (ch === '<') {
        AUTOLINK.lastIndex = k;
        const auto = AUTOLINK.exec(s);
        if (!auto) bail();
        const value = auto[1]!;
        flush(k);
        out.push({
          type: 'link',
          title: null,
          url: value,
          children: [{ type: 'text', value, position: { start: at(k + 1), end: at(k + 1 + value.length) } }],
          position: { start: at(k), end: at(k + auto[0].length) },
        });
        k = textStart = k + auto[0].length;
        continue;
      }
      if (ch === '!' && s[k + 1] === '[') bail();
      if (ch === '_') {
        // Only intraword underscores (snake_case) are plain text.
        if (!/[A-Za-z0-9]/.test(s[k - 1] ?? '') || !/[A-Za-z0-9_]/.test(s[k + 1] ?? '')) bail();
      }
      k++;
    }
    flush(s.length);
    return out;
  }
}

function startsWithAutolink(line: string): boolean {
  AUTOLINK.lastIndex = 0;
  return AUTOLINK.test(line);
}

/** Text the inline subset leaves as it is: no URL-like words, no stray delimiters. */
function checkText(value: string): void {
  if (/[*`[\]]|https?:/i.test(value) || OFF_SUBSET_CHAR.test(value)) bail();
  for (let u = value.indexOf('_'); u !== -1; u = value.indexOf('_', u + 1)) {
    if (!/[A-Za-z0-9_]/.test(value[u - 1] ?? '') || !/[A-Za-z0-9_]/.test(value[u + 1] ?? '')) bail();
  }
}

const CLOSING_FENCES = new Map<string, RegExp>();

/** The closing fence of an opening one: the same character, at least as many, up to 3 spaces of indent. */
function closingFence(marker: string): RegExp {
  let found = CLOSING_FENCES.get(marker);
  if (!found) {
    found = new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},} *$`);
    CLOSING_FENCES.set(marker, found);
  }
  return found;
}

/** Items of one list share their bullet character, or their ordered delimiter. */
function listKind(marker: string): string {
  return /\d/.test(marker[0]!) ? `ordered${marker.at(-1)}` : marker;
}
