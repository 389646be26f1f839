/**
 * A read-only view of one JSON event for the evaluator: field access by exact
 * name, by dotted path and (as a last resort) by case-insensitive name, plus
 * per-event caches so a thousand rules reading `CommandLine` lower-case it once.
 */

/** A JSON event as read from a log or a sample block. */
export type JsonEvent = Record<string, unknown>;

const MISSING = Symbol('missing');

/** A string already lower-cased once per event, with its original beside it for regexes. */
export class LoweredString {
  readonly lower: string;
  readonly original: string;
  constructor(lower: string, original: string) {
    this.lower = lower;
    this.original = original;
  }
}

/*
 * Per-event caches without a map per event: every field name the evaluator reads gets a slot number once per
 * process (rules name a few thousand fields), and the caches are arrays indexed by slot, shared by all views. An
 * entry belongs to the view whose id is stamped beside it, so a new view starts with every entry stale and
 * allocates nothing; views read one after another or interleaved stay correct (a stale entry is recomputed).
 */
const slotByName = new Map<string, number>();
let boxStamps = new Int32Array(256);
let valueStamps = new Int32Array(256);
/** Per slot: the field's scalar text with its lower-case form, or MISSING (absent, null, an object or a list). */
const boxes: (LoweredString | typeof MISSING)[] = [];
/** Per slot: the value found beyond the exact key (dotted path, other case), or MISSING. */
const values: unknown[] = [];
let lastViewId = 0;

/** The cache slot of a field name (numbered on first use). */
export function fieldSlot(name: string): number {
  let slot = slotByName.get(name);
  if (slot === undefined) {
    slot = slotByName.size;
    slotByName.set(name, slot);
    if (slot >= boxStamps.length) {
      const grown = (old: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
        const next = new Int32Array(old.length * 2);
        next.set(old);
        return next;
      };
      boxStamps = grown(boxStamps);
      valueStamps = grown(valueStamps);
    }
  }
  return slot;
}

function nextViewId(): number {
  if (lastViewId === 0x7fffffff) {
    // After two billion views, stamps start over (no view that old is still in use).
    boxStamps.fill(0);
    valueStamps.fill(0);
    lastViewId = 0;
  }
  return ++lastViewId;
}

/** Field access with caches; build one per event and throw it away after. */
export class EventView {
  readonly fields: JsonEvent;
  private id = nextViewId();
  private keys: string[] | undefined;
  private stringsCache: string[] | undefined;
  private lowerStringsCache: string[] | undefined;
  private boxedStringsCache: LoweredString[] | undefined;
  private textWithNumbers: string | undefined;
  private textOfStrings: string | undefined;

  constructor(fields: JsonEvent) {
    this.fields = fields;
  }

  /** Drops the caches (after fields were added to the event in place). */
  forget(): void {
    this.id = nextViewId();
    this.keys = undefined;
    this.stringsCache = undefined;
    this.lowerStringsCache = undefined;
    this.boxedStringsCache = undefined;
    this.textWithNumbers = undefined;
    this.textOfStrings = undefined;
  }

  /** The value of a field: exact name, then dotted path, then the name in any case; `undefined` when absent. */
  value(field: string): unknown {
    const direct = this.fields[field];
    if (direct !== undefined) return direct;
    return this.valueAt(fieldSlot(field), field);
  }

  /** {@link value} with the field's slot known (compiled matchers look it up once). */
  valueAt(slot: number, field: string): unknown {
    const direct = this.fields[field];
    if (direct !== undefined) return direct;
    if (Object.hasOwn(this.fields, field)) return undefined;
    if (valueStamps[slot] === this.id) {
      const cached = values[slot];
      return cached === MISSING ? undefined : cached;
    }
    const found = this.lookup(field);
    valueStamps[slot] = this.id;
    values[slot] = found === undefined ? MISSING : found;
    return found;
  }

  /** Whether the field is present (even when its value is null). */
  has(field: string): boolean {
    if (Object.hasOwn(this.fields, field)) return true;
    return this.value(field) !== undefined || this.nullAt(field);
  }

  /** The field's scalar value as a lower-case string (cached), or undefined for absent, null and objects. */
  lower(field: string): string | undefined {
    return this.lowerAt(fieldSlot(field), field);
  }

  /** {@link lower} with the field's slot known. */
  lowerAt(slot: number, field: string): string | undefined {
    const box = this.boxAt(slot, field);
    return box === MISSING ? undefined : box.lower;
  }

  /** A string field's value with its lower-case form (cached: one object per field and event). */
  loweredString(field: string, original: string): LoweredString {
    return this.loweredStringAt(fieldSlot(field), field, original);
  }

  /** {@link loweredString} with the field's slot known. */
  loweredStringAt(slot: number, field: string, original: string): LoweredString {
    const box = this.boxAt(slot, field);
    return box !== MISSING && box.original === original ? box : new LoweredString(original.toLowerCase(), original);
  }

  private boxAt(slot: number, field: string): LoweredString | typeof MISSING {
    if (boxStamps[slot] === this.id) return boxes[slot]!;
    const text = scalarText(this.valueAt(slot, field));
    const box = text === undefined ? MISSING : new LoweredString(text.toLowerCase(), text);
    boxStamps[slot] = this.id;
    boxes[slot] = box;
    return box;
  }

  /** {@link strings} with their lower-case forms (cached). */
  loweredStrings(): LoweredString[] {
    if (this.boxedStringsCache) return this.boxedStringsCache;
    const originals = this.strings();
    const lowered = this.lowerStrings();
    return (this.boxedStringsCache = originals.map((o, i) => new LoweredString(lowered[i]!, o)));
  }

  /** Every string (and number) value in the event, for keyword searches. */
  strings(): string[] {
    if (this.stringsCache) return this.stringsCache;
    const out: string[] = [];
    collectStrings(this.fields, out, 0, true);
    this.stringsCache = out;
    return out;
  }

  /**
   * The event's string values (and with `numbers`, its numbers) joined by line breaks, in lower case (cached): the
   * text keyword needles are searched in. Lower-casing the joined text gives the parts' lower-case forms (no case
   * mapping looks past a line break).
   */
  keywordText(numbers: boolean): string {
    const cached = numbers ? this.textWithNumbers : this.textOfStrings;
    if (cached !== undefined) return cached;
    let text: string;
    if (numbers) text = this.strings().join('\n').toLowerCase();
    else {
      const out: string[] = [];
      collectStrings(this.fields, out, 0, false);
      text = out.join('\n').toLowerCase();
    }
    if (numbers) this.textWithNumbers = text;
    else this.textOfStrings = text;
    return text;
  }

  /**
   * Whether `re` finds a match in one of the event's string values (and with `numbers`, in one of its numbers'
   * texts), testing each value on its own: no joined or lower-cased copy is made. Values shorter than `shortest`
   * characters are not tested.
   */
  someString(re: RegExp, numbers: boolean, shortest = 0): boolean {
    return someString(this.fields, re, 0, numbers, shortest);
  }

  /** {@link strings}, lower-cased (cached). */
  lowerStrings(): string[] {
    return (this.lowerStringsCache ??= this.strings().map((s) => s.toLowerCase()));
  }

  private lookup(field: string): unknown {
    if (field.includes('.')) {
      const nested = walk(this.fields, field.split('.'));
      if (nested !== undefined) return nested;
    }
    // The name in any case: a linear pass over the keys of the same length (cheaper than a map of every key built
    // for each event; most events have a few dozen keys and most lookups of absent fields find none).
    const keys = (this.keys ??= Object.keys(this.fields));
    const length = field.length;
    let wanted: string | undefined;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      if (key.length !== length) continue;
      wanted ??= lowerName(field);
      if (lowerName(key) === wanted) return this.fields[key];
    }
    return undefined;
  }

  private nullAt(field: string): boolean {
    if (field.includes('.')) {
      const parts = field.split('.');
      const parent = walk(this.fields, parts.slice(0, -1));
      return isRecord(parent) && Object.hasOwn(parent, parts.at(-1)!) && parent[parts.at(-1)!] === null;
    }
    return false;
  }
}

const lowerNames = new Map<string, string>();

/** A field name in lower case, memoised (events of one source repeat the same few hundred names). */
export function lowerName(name: string): string {
  let lower = lowerNames.get(name);
  if (lower === undefined) {
    lower = name.toLowerCase();
    if (lowerNames.size >= 50_000) lowerNames.clear();
    lowerNames.set(name, lower);
  }
  return lower;
}

/** The text of a scalar (string, number, boolean, bigint); undefined for null, objects and arrays. */
export function scalarText(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    default:
      return undefined;
  }
}

/** Whether a value is a plain JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Follows a dotted path. An array met on the way is indexed by a numeric part
 * (`target.0.type`); any other part reaches into every element, and the values
 * found are returned as one array (`target.alternateId` over Okta's list of
 * targets), which field matching treats as "any element".
 */
function walk(root: unknown, parts: string[], from = 0): unknown {
  let node: unknown = root;
  for (let i = from; i < parts.length; i++) {
    const part = parts[i]!;
    if (Array.isArray(node)) {
      const index = Number(part);
      if (part !== '' && Number.isInteger(index)) node = node[index];
      else {
        const found: unknown[] = [];
        for (const item of node) {
          const value = walk(item, parts, i);
          if (value === undefined) continue;
          if (Array.isArray(value)) found.push(...value);
          else found.push(value);
        }
        return found.length ? found : undefined;
      }
    } else if (isRecord(node)) node = node[part];
    else return undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

/**
 * Whether `re` matches one of the values {@link collectStrings} would collect, leaving out those shorter than
 * `shortest` characters.
 */
function someString(value: unknown, re: RegExp, depth: number, numbers: boolean, shortest: number): boolean {
  if (depth > 32) return false;
  if (typeof value === 'string') return value.length >= shortest && re.test(value);
  if (typeof value === 'number') return numbers && testNumber(value, re, shortest);
  // An object or array at depth 32 has its values beyond the depth collectStrings reads.
  if (depth === 32 || typeof value !== 'object' || value === null) return false;
  // The values at once (Object.values copies them; a keyed read per key of a for-in loop costs more).
  const items: readonly unknown[] = Array.isArray(value) ? value : Object.values(value);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (typeof item === 'string') {
      if (item.length >= shortest && re.test(item)) return true;
    } else if (typeof item === 'number') {
      if (numbers && testNumber(item, re, shortest)) return true;
    } else if (typeof item === 'object' && item !== null && someString(item, re, depth + 1, numbers, shortest))
      return true;
  }
  return false;
}

function testNumber(value: number, re: RegExp, shortest: number): boolean {
  const text = String(value);
  return text.length >= shortest && re.test(text);
}

/** The values {@link EventView.strings} and {@link EventView.keywordText} read: strings, numbers, at any depth. */
function collectStrings(value: unknown, out: string[], depth: number, numbers: boolean): void {
  if (depth > 32) return;
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'number') {
    if (numbers) out.push(String(value));
  } else if (Array.isArray(value)) for (const item of value) collectStrings(item, out, depth + 1, numbers);
  else if (isRecord(value)) for (const item of Object.values(value)) collectStrings(item, out, depth + 1, numbers);
}
