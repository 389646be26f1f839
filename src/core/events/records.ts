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

  /** Scans a chunk of text. */
  feed(chunk: string): void {
    let from = -1; // start of the record part inside this chunk
    for (let i = 0; i < chunk.length; i++) {
      const code = chunk.charCodeAt(i);
      if (this.depth > 0) {
        if (this.inString) {
          if (this.escaped) this.escaped = false;
          else if (code === BACKSLASH) this.escaped = true;
          else if (code === QUOTE) this.inString = false;
          else if (code === NEWLINE) {
            this.fail(chunk, from, i, 'a line break inside a string');
            from = -1;
            this.newline();
            continue;
          }
        } else if (code === QUOTE) this.inString = true;
        else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
          if (code === OPEN_BRACE && this.column === 0 && !this.inArray) {
            this.fail(chunk, from, i, 'a record cut short');
            from = i;
            this.startRecord();
          }
          this.depth++;
        } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
          this.depth--;
          if (this.depth === 0) {
            this.record += chunk.slice(from === -1 ? 0 : from, i + 1);
            from = -1;
            this.finish();
          }
        }
      } else if (code === OPEN_BRACE) {
        this.flushGarbage();
        this.startRecord();
        from = i;
        this.depth = 1;
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
        if (this.depth === 0) this.flushGarbage();
        this.newline();
      } else this.column++;
    }
    if (this.depth > 0) this.record += chunk.slice(from === -1 ? 0 : from);
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

  private newline(): void {
    this.line++;
    this.column = 0;
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

/** Splits a whole text at once (tests, sample files). */
export function splitJsonRecords(text: string): RecordItem[] {
  const out: RecordItem[] = [];
  const scanner = new JsonRecordScanner((item) => out.push(item));
  scanner.feed(text);
  scanner.end();
  return out;
}
