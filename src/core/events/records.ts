/**
 * Splits a stream of text into JSON event records, chunk by chunk, holding only
 * the record being read: NDJSON, a JSON array of objects, objects concatenated
 * one after another (pretty-printed or not, as in SigmaHQ's regression dumps),
 * and evtx_dump's output with its `Record N` lines. A record that does not
 * parse is reported with its line and the scan goes on: a raw newline inside a
 * string, or a `{` at the start of a line while a record is still open (a
 * truncated line), ends the broken record.
 */

/** A record found in the stream. */
export type RecordItem =
  | { ok: true; index: number; line: number; value: Record<string, unknown> }
  | { ok: false; index: number; line: number; reason: string };

const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const QUOTE = 34;
const BACKSLASH = 92;
const NEWLINE = 10;

/** Incremental splitter; call `feed` with each decoded chunk, then `end`. */
export class JsonRecordScanner {
  private line = 1;
  private column = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private inArray = false;
  private started = false;
  private record = '';
  private recordLine = 0;
  private garbage = '';
  private garbageLine = 0;
  private index = 0;
  private readonly emit: (item: RecordItem) => void;

  constructor(emit: (item: RecordItem) => void) {
    this.emit = emit;
  }

  /** The line the scan has reached (1-based): where a stream that stops being readable stopped. */
  get currentLine(): number {
    return this.line;
  }

  /** Scans a chunk of text. */
  feed(chunk: string): void {
    let from = -1; // start of the record part inside this chunk
    // The hot state lives in locals inside the loop (written back around the calls that read it).
    let depth = this.depth;
    let inString = this.inString;
    let escaped = this.escaped;
    let column = this.column;
    const n = chunk.length;
    // Next quote, backslash and line break at or after the current position (n when none): inside a string,
    // the scan jumps to the nearest of them (native searches, each character of the chunk read once by each).
    let nextQuote = -1;
    let nextSlash = -1;
    let nextLine = -1;
    for (let i = 0; i < n; i++) {
      if (inString && !escaped && depth > 0) {
        if (nextQuote < i) nextQuote = found(chunk.indexOf('"', i), n);
        if (nextSlash < i) nextSlash = found(chunk.indexOf('\\', i), n);
        if (nextLine < i) nextLine = found(chunk.indexOf('\n', i), n);
        const stop = Math.min(nextQuote, nextSlash, nextLine);
        column += stop - i;
        i = stop;
        if (i >= n) break;
      }
      const code = chunk.charCodeAt(i);
      if (depth > 0) {
        if (inString) {
          if (escaped) escaped = false;
          else if (code === BACKSLASH) escaped = true;
          else if (code === QUOTE) inString = false;
          else if (code === NEWLINE) {
            this.depth = depth;
            this.fail(chunk, from, i, 'a line break inside a string');
            depth = 0;
            inString = false;
            escaped = false;
            from = -1;
            this.line++;
            column = 0;
            continue;
          }
        } else if (code === QUOTE) inString = true;
        else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
          if (code === OPEN_BRACE && column === 0 && !this.inArray) {
            this.fail(chunk, from, i, 'a record cut short');
            from = i;
            this.startRecord();
            inString = false;
            escaped = false;
            depth = 0;
          }
          depth++;
        } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
          depth--;
          if (depth === 0) {
            this.record += chunk.slice(from === -1 ? 0 : from, i + 1);
            from = -1;
            this.depth = 0;
            this.finish();
          }
        }
      } else if (code === OPEN_BRACE) {
        this.flushGarbage();
        if (column === 0) {
          // NDJSON fast path: a whole line that parses as an object is the record the scan below would find (a
          // line of valid JSON opens and closes its braces exactly once), without reading it character by
          // character. Anything else (pretty-printed, concatenated or broken records) takes the scan.
          const end = this.wholeLine(chunk, i);
          if (end !== -1) {
            this.started = true;
            this.recordLine = this.line;
            this.record = '';
            this.line++;
            column = 0;
            i = end;
            continue;
          }
        }
        this.startRecord();
        inString = false;
        escaped = false;
        from = i;
        depth = 1;
      } else if (code === OPEN_BRACKET && !this.started && !this.inArray) {
        this.inArray = true;
        this.started = true;
      } else if (code === CLOSE_BRACKET && this.inArray) {
        this.inArray = false;
      } else if (
        code !== NEWLINE &&
        (this.garbage !== '' || (code !== 32 && code !== 9 && code !== 13 && code !== 44))
      ) {
        if (this.garbage === '') this.garbageLine = this.line;
        if (this.garbage.length < 200) this.garbage += chunk[i];
      }
      if (code === NEWLINE) {
        if (depth === 0) this.flushGarbage();
        this.line++;
        column = 0;
      } else column++;
    }
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;
    this.column = column;
    if (depth > 0) this.record += chunk.slice(from === -1 ? 0 : from);
  }

  /** Ends the stream; an open record is reported as cut short. */
  end(): void {
    if (this.depth > 0) {
      this.emit({
        ok: false,
        index: this.index++,
        line: this.recordLine,
        reason: 'a record cut short at the end of the input',
      });
      this.depth = 0;
      this.record = '';
    }
    this.flushGarbage();
  }

  /**
   * When the line starting at `from` (a `{` at column 0) is one JSON object followed only by blanks or a comma,
   * emits it and returns the index of its line break; otherwise -1 (nothing emitted).
   */
  private wholeLine(chunk: string, from: number): number {
    const end = chunk.indexOf('\n', from);
    if (end === -1) return -1;
    let last = end - 1;
    for (;;) {
      const c = chunk.charCodeAt(last);
      if (c === 32 || c === 9 || c === 13 || c === 44) last--;
      else break;
    }
    if (chunk.charCodeAt(last) !== CLOSE_BRACE) return -1;
    let value: unknown;
    try {
      value = JSON.parse(chunk.slice(from, last + 1));
    } catch {
      return -1;
    }
    this.emit({ ok: true, index: this.index++, line: this.line, value: value as Record<string, unknown> });
    return end;
  }

  private startRecord(): void {
    this.started = true;
    this.record = '';
    this.recordLine = this.line;
    this.inString = false;
    this.escaped = false;
  }

  private fail(chunk: string, from: number, _at: number, reason: string): void {
    void chunk;
    void from;
    this.emit({ ok: false, index: this.index++, line: this.recordLine, reason });
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.record = '';
  }

  private finish(): void {
    const text = this.record;
    this.record = '';
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.emit({ ok: false, index: this.index++, line: this.recordLine, reason: String((error as Error).message) });
      return;
    }
    this.emit({ ok: true, index: this.index++, line: this.recordLine, value: value as Record<string, unknown> });
  }

  private flushGarbage(): void {
    const text = this.garbage.trim();
    this.garbage = '';
    // evtx_dump prints `Record 12` before each record; that is framing, not data.
    if (text === '' || /^Record \d+$/.test(text)) return;
    this.emit({
      ok: false,
      index: this.index++,
      line: this.garbageLine,
      reason: `text outside a JSON object: \`${text.slice(0, 40)}\``,
    });
  }
}

function found(index: number, none: number): number {
  return index === -1 ? none : index;
}

/** Splits a whole text at once (tests, sample files). */
export function splitJsonRecords(text: string): RecordItem[] {
  const out: RecordItem[] = [];
  const scanner = new JsonRecordScanner((item) => out.push(item));
  scanner.feed(text);
  scanner.end();
  return out;
}
