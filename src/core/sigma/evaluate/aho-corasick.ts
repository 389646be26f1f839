/**
 * Aho–Corasick over lower-case needles, built into a dense DFA on a compact
 * alphabet (the characters the needles use; every other character resets to
 * the root). Scanning costs one table read per character, whatever the number
 * of needles: this is what lets thousands of rules share one pass over a field.
 */

/** A multi-needle matcher: `scan` calls `hit` with the payload of every needle found. */
export class NeedleSet<T> {
  private readonly alphabet = new Map<number, number>();
  private readonly ascii = new Int16Array(128).fill(-1);
  /** Dense transitions; 16-bit when the states fit (half the cache footprint of the hot loop). */
  private table: Int32Array | Uint16Array = new Int32Array(0);
  private width = 1;
  private outputs: (T[] | undefined)[] = [];
  private needles: { needle: string; payload: T }[] = [];
  private built = false;

  /** Adds a needle (already lower-case) with its payload. */
  add(needle: string, payload: T): void {
    this.needles.push({ needle, payload });
    this.built = false;
  }

  /** Number of needles. */
  get size(): number {
    return this.needles.length;
  }

  /** Calls `hit` for each payload whose needle occurs in `text` (duplicates possible; callers dedupe). */
  scan(text: string, hit: (payload: T) => void): void {
    if (!this.built) this.build();
    const table = this.table;
    const width = this.width;
    const ascii = this.ascii;
    const outputs = this.outputs;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      const symbol = code < 128 ? ascii[code]! : (this.alphabet.get(code) ?? -1);
      if (symbol < 0) {
        state = 0;
        continue;
      }
      state = table[state * width + symbol]!;
      const out = outputs[state];
      if (out !== undefined) for (const payload of out) hit(payload);
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
    const width = this.width;
    const ascii = this.ascii;
    const outputs = this.outputs;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      let code = text.charCodeAt(i);
      if (code >= 128) {
        this.scan(text.toLowerCase(), hit);
        return;
      }
      if (code >= 65 && code <= 90) code += 32;
      const symbol = ascii[code]!;
      if (symbol < 0) {
        state = 0;
        continue;
      }
      state = table[state * width + symbol]!;
      const out = outputs[state];
      if (out !== undefined) for (const payload of out) hit(payload);
    }
  }

  /** Whether any needle occurs in `text`. */
  has(text: string): boolean {
    if (!this.built) this.build();
    const table = this.table;
    const width = this.width;
    const ascii = this.ascii;
    const outputs = this.outputs;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      const symbol = code < 128 ? ascii[code]! : (this.alphabet.get(code) ?? -1);
      if (symbol < 0) {
        state = 0;
        continue;
      }
      state = table[state * width + symbol]!;
      if (outputs[state] !== undefined) return true;
    }
    return false;
  }

  private build(): void {
    for (const { needle } of this.needles)
      for (let i = 0; i < needle.length; i++) {
        const code = needle.charCodeAt(i);
        if (!this.alphabet.has(code)) {
          this.alphabet.set(code, this.alphabet.size);
          if (code < 128) this.ascii[code] = this.alphabet.size - 1;
        }
      }
    const width = Math.max(1, this.alphabet.size);
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
    // Breadth-first: failure links folded into a dense transition table.
    const table =
      children.length < 65536 ? new Uint16Array(children.length * width) : new Int32Array(children.length * width);
    const fail = new Int32Array(children.length);
    const queue: number[] = [];
    for (let s = 0; s < width; s++) {
      const next = children[0]!.get(s);
      if (next !== undefined) {
        table[s] = next;
        fail[next] = 0;
        queue.push(next);
      }
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      const f = fail[state]!;
      const inherited = outputs[f];
      if (inherited) outputs[state] = [...(outputs[state] ?? []), ...inherited];
      for (let s = 0; s < width; s++) {
        const next = children[state]!.get(s);
        if (next !== undefined) {
          table[state * width + s] = next;
          fail[next] = table[f * width + s]!;
          queue.push(next);
        } else table[state * width + s] = table[f * width + s]!;
      }
    }
    this.table = table;
    this.width = width;
    this.outputs = outputs;
    this.built = true;
  }
}
