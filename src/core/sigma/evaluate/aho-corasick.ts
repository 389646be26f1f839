/**
 * Aho–Corasick over lower-case needles, on a compact alphabet (the characters
 * the needles use; every other character resets to the root). Scanning costs
 * about one table read per character, whatever the number of needles: this is
 * what lets thousands of rules share one pass over a field.
 *
 * Memory layout, for the cache: the shallow states (depth ≤ {@link DENSE_DEPTH}),
 * where a scan spends most of its steps, are dense rows (one read per
 * character, no branch); every deeper state is a small node with its children
 * and its failure link, laid out depth-first so that following a needle reads
 * memory forward. A dense row for every state made the SigmaHQ rules' automata
 * 68 MB in all (17 MB for the process-creation `CommandLine` needles), against
 * 10 MB (1.4 MB) this way, and each step into a long needle read a fresh cache
 * line: profiled on a busy host, that one table read took over a third of the
 * samples of a hunt.
 */

/** States up to this depth get a dense row. */
const DENSE_DEPTH = 2;

/**
 * The memo of {@link NeedleSet.scanFolded}: values of 8 to 64 characters (file names and paths, users, integrity
 * levels, registry keys: a field where a log repeats a few hundred values) are remembered with the payloads found in
 * them, up to 1,024 values per set. A shorter value costs less to scan than to look up; a longer one (command lines,
 * hashes) repeats less and takes more memory to keep.
 */
const MEMO_MIN = 8;
const MEMO_MAX = 64;
const MEMO_SIZE = 1024;
/**
 * When the memo fills up having served fewer values than it holds (the field's values repeat too little for the
 * lookups to pay), it is emptied and left unused for this many values, then tried again.
 */
const MEMO_PAUSE = 100_000;

/** Options of a {@link NeedleSet}. */
export interface NeedleSetOptions {
  /** Whether `scanFolded` remembers what it found in short values (default true; off for comparisons). */
  memo?: boolean;
}

/** A multi-needle matcher: `scan` calls `hit` with the payload of every needle found. */
export class NeedleSet<T> {
  private readonly alphabet = new Map<number, number>();
  /**
   * The column of each ASCII character; characters no needle uses share the last column, whose transitions all
   * return to the root (no branch in the dense rows: a data-dependent branch per character costs more than a read).
   */
  private ascii = new Int32Array(128);
  /** The same with upper-case letters sharing their lower-case column (scanFolded). */
  private folded = new Int32Array(128);
  /** The column of characters no needle uses. */
  private other = 0;
  /**
   * Every state in one array. A state is referred to by an *entry*: its offset times four, plus two for a sparse
   * node, plus one when it has outputs (so the scan reads the kind and the output bit without another array).
   * - A dense row: `width` entries (the next state for each column, failures folded in), then its output id.
   * - A sparse node: its failure entry, its output id, its number of children k, then k pairs (column, entry).
   */
  private pool = new Int32Array(0);
  /** Columns of the alphabet, including the "other" column. */
  private width = 1;
  /** Payloads of every state with outputs in one flat list: output id `o` has `payloads[outputStart[o]]`… */
  private payloads: T[] = [];
  private outputStart = new Int32Array(1);
  private stateCount = 1;
  private needles: { needle: string; payload: T }[] = [];
  private built = false;
  /** Whether every needle is ASCII (a non-ASCII character then always returns to the root). */
  private asciiOnly = true;
  /** Short values scanned lately, with the payloads found in each: see {@link MEMO_MAX}. */
  private readonly memo: Map<string, T[]> | null;
  /** Values the memo served since it was last emptied. */
  private memoServed = 0;
  /** Values left to scan without the memo (see {@link MEMO_PAUSE}). */
  private memoPause = 0;
  /** Lookups in the memo and values it served, in all (statistics). */
  private lookups = 0;
  private served = 0;

  constructor(options: NeedleSetOptions = {}) {
    this.memo = options.memo === false ? null : new Map();
  }

  /** Adds a needle (already lower-case) with its payload. */
  add(needle: string, payload: T): void {
    this.needles.push({ needle, payload });
    this.built = false;
    this.memo?.clear();
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

  /** How many values the memo was asked for, and how many it served (for statistics). */
  get memoStats(): { lookups: number; served: number } {
    return { lookups: this.lookups, served: this.served };
  }

  /** Bytes of the automaton's transition array (for tests and statistics). */
  get tableBytes(): number {
    if (!this.built) this.build();
    return this.pool.byteLength;
  }

  /** Calls `hit` for each payload whose needle occurs in `text` (duplicates possible; callers dedupe). */
  scan(text: string, hit: (payload: T) => void): void {
    if (!this.built) this.build();
    const pool = this.pool;
    const ascii = this.ascii;
    let entry = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      const symbol = code < 128 ? ascii[code]! : this.symbol(code);
      entry = (entry & 2) === 0 ? pool[(entry >> 2) + symbol]! : this.step(entry >> 2, symbol);
      if ((entry & 1) !== 0) this.emit(entry, hit);
    }
  }

  /**
   * {@link scan} over `text.toLowerCase()` without building it: ASCII letters
   * are folded on the fly; on the first non-ASCII character the text is
   * lower-cased and scanned again (hits may repeat; callers dedupe). A short
   * value seen lately is not scanned again: its payloads come from the memo.
   */
  scanFolded(text: string, hit: (payload: T) => void): void {
    const memo = this.memo;
    if (memo !== null && text.length >= MEMO_MIN && text.length <= MEMO_MAX) {
      if (this.memoPause > 0) this.memoPause--;
      else {
        this.lookups++;
        const known = memo.get(text);
        if (known !== undefined) {
          this.served++;
          this.memoServed++;
          for (let k = 0; k < known.length; k++) hit(known[k]!);
        } else this.remember(memo, text, hit);
        return;
      }
    }
    this.scanAscii(text, hit);
  }

  /** Scans `text` for {@link scanFolded} and remembers the payloads it found. */
  private remember(memo: Map<string, T[]>, text: string, hit: (payload: T) => void): void {
    // Payloads as the scan reports them (a needle found twice gives its payloads twice; hits are idempotent): a
    // check for duplicates would cost a pass over the list per payload, and a value ending in `\powershell.exe`
    // gives hundreds of them. A long list is made unique at once, so that what is kept stays bounded.
    let found: T[] = [];
    this.scanAscii(text, (payload) => {
      found.push(payload);
      hit(payload);
    });
    if (found.length > 64) found = [...new Set(found)];
    if (memo.size >= MEMO_SIZE) {
      if (this.memoServed < MEMO_SIZE) this.memoPause = MEMO_PAUSE;
      memo.clear();
      this.memoServed = 0;
    }
    memo.set(text, found);
  }

  /** The scan of {@link scanFolded}, without the memo. */
  private scanAscii(text: string, hit: (payload: T) => void): void {
    if (!this.built) this.build();
    const pool = this.pool;
    const folded = this.folded;
    let entry = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 128) {
        this.scan(text.toLowerCase(), hit);
        return;
      }
      const symbol = folded[code]!;
      entry = (entry & 2) === 0 ? pool[(entry >> 2) + symbol]! : this.step(entry >> 2, symbol);
      if ((entry & 1) !== 0) this.emit(entry, hit);
    }
  }

  /** Whether any needle occurs in `text`. */
  has(text: string): boolean {
    if (!this.built) this.build();
    const pool = this.pool;
    const ascii = this.ascii;
    let entry = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      const symbol = code < 128 ? ascii[code]! : this.symbol(code);
      entry = (entry & 2) === 0 ? pool[(entry >> 2) + symbol]! : this.step(entry >> 2, symbol);
      if ((entry & 1) !== 0) return true;
    }
    return false;
  }

  private symbol(code: number): number {
    return this.asciiOnly ? this.other : (this.alphabet.get(code) ?? this.other);
  }

  /**
   * The entry reached from the sparse node at `offset` on `symbol`: a child, or else the failure links are
   * followed until a node has that child or a dense row answers (amortised O(1) per character, as in any
   * Aho–Corasick automaton: each failure step goes at least one character shallower).
   */
  private step(offset: number, symbol: number): number {
    if (symbol === this.other) return 0;
    const pool = this.pool;
    for (;;) {
      const k = pool[offset + 2]!;
      for (let j = offset + 3, end = j + 2 * k; j < end; j += 2) if (pool[j] === symbol) return pool[j + 1]!;
      const fail = pool[offset]!;
      if ((fail & 2) === 0) return pool[(fail >> 2) + symbol]!;
      offset = fail >> 2;
    }
  }

  /** Calls `hit` with the payloads of the state an entry (with its output bit set) refers to. */
  private emit(entry: number, hit: (payload: T) => void): void {
    const offset = entry >> 2;
    const id = (entry & 2) === 0 ? this.pool[offset + this.width]! : this.pool[offset + 1]!;
    const payloads = this.payloads;
    const end = this.outputStart[id + 1]!;
    for (let k = this.outputStart[id]!; k < end; k++) hit(payloads[k]!);
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
    this.width = width;
    this.ascii = new Int32Array(128).fill(other);
    this.folded = new Int32Array(128).fill(other);
    for (const [code, symbol] of this.alphabet)
      if (code < 128) {
        this.ascii[code] = symbol;
        this.folded[code] = symbol;
      }
    for (let code = 65; code <= 90; code++) this.folded[code] = this.ascii[code + 32]!;
    // The trie, with sparse children.
    const children: Map<number, number>[] = [new Map()];
    const outputs: (T[] | undefined)[] = [undefined];
    const depth: number[] = [0];
    for (const { needle, payload } of this.needles) {
      let state = 0;
      for (let i = 0; i < needle.length; i++) {
        const symbol = this.alphabet.get(needle.charCodeAt(i))!;
        let next = children[state]!.get(symbol);
        if (next === undefined) {
          next = children.length;
          children.push(new Map());
          outputs.push(undefined);
          depth.push(depth[state]! + 1);
          children[state]!.set(symbol, next);
        }
        state = next;
      }
      (outputs[state] ??= []).push(payload);
    }
    // Failure links, breadth-first; a state also reports the outputs of its failure state.
    const count = children.length;
    const fail = new Int32Array(count);
    const order: number[] = [0];
    for (let head = 0; head < order.length; head++) {
      const state = order[head]!;
      for (const [symbol, child] of children[state]!) {
        fail[child] = state === 0 ? 0 : this.goto(children, fail, fail[state]!, symbol);
        const inherited = outputs[fail[child]!];
        if (inherited) outputs[child] = [...(outputs[child] ?? []), ...inherited];
        order.push(child);
      }
    }
    // Offsets: the dense rows breadth-first, then the sparse nodes depth-first (a needle's states in a row).
    const offset = new Int32Array(count);
    const sparse = new Uint8Array(count);
    let size = 0;
    for (const state of order)
      if (depth[state]! <= DENSE_DEPTH) {
        offset[state] = size;
        size += width + 1;
      }
    const stack: number[] = [];
    for (let i = order.length - 1; i >= 0; i--) if (depth[order[i]!] === DENSE_DEPTH + 1) stack.push(order[i]!);
    while (stack.length > 0) {
      const state = stack.pop()!;
      sparse[state] = 1;
      offset[state] = size;
      size += 3 + 2 * children[state]!.size;
      const kids = [...children[state]!.values()];
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
    }
    if (size >= 2 ** 29) throw new Error(`NeedleSet: ${this.needles.length} needles make too large an automaton`);
    const outputId = new Int32Array(count).fill(-1);
    const starts: number[] = [];
    const payloads: T[] = [];
    for (const state of order) {
      const list = outputs[state];
      if (list === undefined) continue;
      outputId[state] = starts.length;
      starts.push(payloads.length);
      for (const payload of list) payloads.push(payload);
    }
    starts.push(payloads.length);
    const entry = (state: number): number =>
      offset[state]! * 4 + (sparse[state] ? 2 : 0) + (outputs[state] !== undefined ? 1 : 0);
    const pool = new Int32Array(size);
    for (const state of order) {
      const at = offset[state]!;
      if (sparse[state]) {
        pool[at] = entry(fail[state]!);
        pool[at + 1] = outputId[state]!;
        pool[at + 2] = children[state]!.size;
        let j = at + 3;
        for (const [symbol, child] of children[state]!) {
          pool[j++] = symbol;
          pool[j++] = entry(child);
        }
      } else {
        for (let symbol = 0; symbol < width; symbol++)
          pool[at + symbol] = entry(this.goto(children, fail, state, symbol));
        pool[at + width] = outputId[state]!;
      }
    }
    this.pool = pool;
    this.payloads = payloads;
    this.outputStart = Int32Array.from(starts);
    this.stateCount = count;
    this.built = true;
  }

  /** The state reached from `state` on `symbol` in the trie with its failure links (built shallower first). */
  private goto(children: Map<number, number>[], fail: Int32Array, state: number, symbol: number): number {
    for (;;) {
      const next = children[state]!.get(symbol);
      if (next !== undefined) return next;
      if (state === 0) return 0;
      state = fail[state]!;
    }
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
