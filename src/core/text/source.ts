/**
 * Where a piece of text sits in its file. A Sigma block's YAML is parsed on its
 * own, so every offset in it is shifted by the block's first line and by the
 * indentation the Markdown parser stripped from each line.
 */
import type { Point, Range } from '../diagnostics.ts';

/** A piece of text and the place of its first character in the file. */
export interface TextSource {
  /** The text as the parser sees it (fence indentation already stripped). */
  text: string;
  /** File line (1-based) of the text's first line. */
  line: number;
  /** File column (1-based) of each line's first character. */
  column: number;
  /** File offset of the text's first character, when known. */
  offset?: number;
}

/** A whole file as a source: line 1, column 1. */
export function wholeFile(text: string): TextSource {
  return { text, line: 1, column: 1, offset: 0 };
}

/** Precomputed line starts for fast offset -> point lookups. */
export class LineIndex {
  readonly starts: number[];
  readonly source: TextSource;
  constructor(source: TextSource) {
    this.source = source;
    const starts = [0];
    const text = source.text;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.starts = starts;
  }

  /** The file point of an offset inside the source text (clamped to the text). */
  point(offset: number): Point {
    const text = this.source.text;
    const at = Math.max(0, Math.min(offset, text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    const point: Point = { line: this.source.line + lo, column: this.source.column + (at - this.starts[lo]!) };
    if (this.source.offset !== undefined && this.source.column === 1) point.offset = this.source.offset + at;
    return point;
  }

  /** The file range of `[start, end)` inside the source text. */
  range(start: number, end: number): Range {
    return { start: this.point(start), end: this.point(end) };
  }
}
