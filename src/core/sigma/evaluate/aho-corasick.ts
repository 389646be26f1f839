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
  /** Payloads by state (state = row offset / width). */
  private outputs: (T[] | undefined)[] = [];
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
    return this.outputs.length;
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
      if ((entry & 1) !== 0) this.emit(row, hit);
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
      if ((entry & 1) !== 0) this.emit(row, hit);
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

  private emit(row: number, hit: (payload: T) => void): void {
    const out = this.outputs[(row / this.width) | 0]!;
    for (let k = 0; k < out.length; k++) hit(out[k]!);
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
    this.table = next;
    this.width = width;
    this.outputs = outputs;
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
