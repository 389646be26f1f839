/**
 * Aho–Corasick over lower-case needles, built into a dense DFA on a compact
 * alphabet (the characters the needles use; every other character resets to
 * the root). Scanning costs one table read per character, whatever the number
 * of needles: this is what lets thousands of rules share one pass over a field.
 */

/** A multi-needle matcher: `scan` calls `hit` with the payload of every needle found. */
export class NeedleSet<T> {
  private readonly alphabet = new Map<number, number>();
  /**
   * The column of each ASCII character; characters no needle uses share the last column, whose transitions all
   * return to the root (no branch in the loop: a data-dependent branch per character costs more than the read).
   */
  private ascii = new Int32Array(128);
  /** The same with upper-case letters sharing their lower-case column (scanFolded). */
  private folded = new Int32Array(128);
  private other = 0;
  /**
   * Dense transitions, one row of `width` entries per state. An entry is the next state's row offset times two,
   * plus one when that state has outputs: one read per character, no multiplication, no second array in the loop.
   */
  private table = new Int32Array(0);
  private width = 1;
  /**
   * Payloads of every state in one flat list: state `s` has `payloads[outputStart[s]]` up to
   * `payloads[outputStart[s + 1]]` (one list, not an array per state scattered over the heap).
   */
  private payloads: T[] = [];
  private outputStart = new Int32Array(1);
  /** 1 / (2 × width): an entry times this, rounded, is its state (a multiplication, not a division). */
  private entryToState = 0.5;
  private stateCount = 1;
  private needles: { needle: string; payload: T }[] = [];
  private built = false;
  /** Whether every needle is ASCII (a non-ASCII character then always returns to the root). */
  private asciiOnly = true;

  /** Adds a needle (already lower-case) with its payload. */
  add(needle: string, payload: T): void {
    this.needles.push({ needle, payload });
    this.built = false;
  }

  /** Number of needles. */
  get size(): number {
    return this.needles.length;
  }

  /** Number of states of the automaton (for tests and statistics). */
  get states(): number {
    if (!this.built) this.build();
    return this.stateCount;
  }

  /** Calls `hit` for each payload whose needle occurs in `text` (duplicates possible; callers dedupe). */
  scan(text: string, hit: (payload: T) => void): void {
    if (!this.built) this.build();
    const table = this.table;
    const ascii = this.ascii;
    let row = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      const symbol = code < 128 ? ascii[code]! : this.symbol(code);
      const entry = table[row + symbol]!;
      row = entry >> 1;
      if ((entry & 1) !== 0) this.emit(entry, hit);
    }
  }

  /**
   * {@link scan} over `text.toLowerCase()` without building it: ASCII letters
   * are folded on the fly; on the first non-ASCII character the text is
   * lower-cased and scanned again (hits may repeat; callers dedupe).
   */
  scanFolded(text: string, hit: (payload: T) => void): void {
    if (!this.built) this.build();
    const table = this.table;
    const folded = this.folded;
    let row = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 128) {
        this.scan(text.toLowerCase(), hit);
        return;
      }
      const entry = table[row + folded[code]!]!;
      row = entry >> 1;
      if ((entry & 1) !== 0) this.emit(entry, hit);
    }
  }

  /** Whether any needle occurs in `text`. */
  has(text: string): boolean {
    if (!this.built) this.build();
    const table = this.table;
    const ascii = this.ascii;
    let row = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      const symbol = code < 128 ? ascii[code]! : this.symbol(code);
      const entry = table[row + symbol]!;
      if ((entry & 1) !== 0) return true;
      row = entry >> 1;
    }
    return false;
  }

  private symbol(code: number): number {
    return this.asciiOnly ? this.other : (this.alphabet.get(code) ?? this.other);
  }

  /** Calls `hit` with the payloads of the state a table entry (with its output bit set) leads to. */
  private emit(entry: number, hit: (payload: T) => void): void {
    const state = Math.round(entry * this.entryToState);
    const payloads = this.payloads;
    const end = this.outputStart[state + 1]!;
    for (let k = this.outputStart[state]!; k < end; k++) hit(payloads[k]!);
  }

  private build(): void {
    for (const { needle } of this.needles)
      for (let i = 0; i < needle.length; i++) {
        const code = needle.charCodeAt(i);
        if (!this.alphabet.has(code)) {
          this.alphabet.set(code, this.alphabet.size);
          if (code >= 128) this.asciiOnly = false;
        }
      }
    // One more column for every other character: back to the root from any state.
    const other = this.alphabet.size;
    const width = other + 1;
    this.other = other;
    this.ascii = new Int32Array(128).fill(other);
    this.folded = new Int32Array(128).fill(other);
    for (const [code, symbol] of this.alphabet)
      if (code < 128) {
        this.ascii[code] = symbol;
        this.folded[code] = symbol;
      }
    for (let code = 65; code <= 90; code++) this.folded[code] = this.ascii[code + 32]!;
    // Trie with sparse children first.
    const children: Map<number, number>[] = [new Map()];
    const outputs: (T[] | undefined)[] = [undefined];
    for (const { needle, payload } of this.needles) {
      let state = 0;
      for (let i = 0; i < needle.length; i++) {
        const symbol = this.alphabet.get(needle.charCodeAt(i))!;
        let next = children[state]!.get(symbol);
        if (next === undefined) {
          next = children.length;
          children.push(new Map());
          outputs.push(undefined);
          children[state]!.set(symbol, next);
        }
        state = next;
      }
      (outputs[state] ??= []).push(payload);
    }
    // Breadth-first: failure links folded into a dense transition table (of states first).
    const next = new Int32Array(children.length * width);
    const fail = new Int32Array(children.length);
    const queue: number[] = [];
    for (let s = 0; s < width; s++) {
      const child = children[0]!.get(s);
      if (child !== undefined) {
        next[s] = child;
        fail[child] = 0;
        queue.push(child);
      }
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      const f = fail[state]!;
      const inherited = outputs[f];
      if (inherited) outputs[state] = [...(outputs[state] ?? []), ...inherited];
      for (let s = 0; s < width; s++) {
        const child = children[state]!.get(s);
        if (child !== undefined) {
          next[state * width + s] = child;
          fail[child] = next[f * width + s]!;
          queue.push(child);
        } else next[state * width + s] = next[f * width + s]!;
      }
    }
    // States -> row offsets with the output bit.
    for (let i = 0; i < next.length; i++) {
      const state = next[i]!;
      next[i] = state * width * 2 + (outputs[state] !== undefined ? 1 : 0);
    }
    const start = new Int32Array(outputs.length + 1);
    const payloads: T[] = [];
    for (let state = 0; state < outputs.length; state++) {
      start[state] = payloads.length;
      for (const payload of outputs[state] ?? []) payloads.push(payload);
    }
    start[outputs.length] = payloads.length;
    this.table = next;
    this.width = width;
    this.payloads = payloads;
    this.outputStart = start;
    this.entryToState = 1 / (2 * width);
    this.stateCount = outputs.length;
    this.built = true;
  }
}

/**
 * Needles found by one character each: for needles with non-ASCII characters
 * (emoji, homoglyphs), indexed by one such code unit. A character of the
 * needle occurring is necessary for the needle to occur, so this is a valid
 * (if looser) anchor, and it needs no dense table over thousands of symbols.
 */
export class CharIndex<T> {
  private readonly byCode = new Map<number, T[]>();

  /** Adds a needle (lower-case, with at least one non-ASCII character) with its payload. */
  add(needle: string, payload: T): void {
    const code = keyCode(needle);
    const list = this.byCode.get(code);
    if (list) list.push(payload);
    else this.byCode.set(code, [payload]);
  }

  /** Number of distinct characters indexed. */
  get size(): number {
    return this.byCode.size;
  }

  /** Calls `hit` for the payloads of every indexed character of `text` (lower-case; duplicates possible). */
  scan(text: string, hit: (payload: T) => void): void {
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code < 128) continue;
      const list = this.byCode.get(code);
      if (list !== undefined) for (let k = 0; k < list.length; k++) hit(list[k]!);
    }
  }
}

/** The code unit a non-ASCII needle is indexed by: its first non-ASCII one that is not a high surrogate. */
function keyCode(needle: string): number {
  let fallback = -1;
  for (let i = 0; i < needle.length; i++) {
    const code = needle.charCodeAt(i);
    if (code < 128) continue;
    if (code < 0xd800 || code > 0xdbff) return code;
    if (fallback === -1) fallback = code;
  }
  if (fallback === -1) throw new Error(`CharIndex needs a non-ASCII needle, got ${JSON.stringify(needle)}`);
  return fallback;
}
