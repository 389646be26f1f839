/**
 * A fast reader for the common shape of frontmatter: one `key: value` per
 * line, where each value is a plain or quoted string or a one-line flow list
 * of such strings. It returns exactly what `yaml`'s `parseDocument(…).toJS()`
 * returns for that text, with each key's offsets; for anything else (numbers,
 * booleans, nulls, nested maps, block lists, comments, escapes, duplicate
 * keys) it returns `undefined` and the caller parses with `yaml`.
 */

/** A top-level key and its offsets in the text. */
export interface SimpleKey {
  key: string;
  start: number;
  end: number;
}

const PAIR = /^([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?$/;
/** A plain scalar that YAML reads as a string, in block context and inside a flow list (no commas either way). */
const PLAIN = /^[A-Za-z0-9_(/.][A-Za-z0-9 _./()+;'-]*$/;
/** Plain scalars the YAML 1.2 core schema resolves to something other than a string. */
const NOT_STRING =
  /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/** The mapping of a simple frontmatter text, or `undefined` when it is not that simple. */
export function readSimpleMapping(
  text: string,
): { raw: Record<string, string | string[]>; keys: SimpleKey[] } | undefined {
  if (text.includes('\t') || text.includes('\r')) return undefined;
  const raw: Record<string, string | string[]> = {};
  const keys: SimpleKey[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const start = offset;
    offset += line.length + 1;
    if (line === '') continue;
    const pair = PAIR.exec(line);
    if (!pair || line.endsWith(' ')) return undefined;
    const key = pair[1]!;
    if (Object.hasOwn(raw, key) || key === '__proto__') return undefined;
    const value = readValue(pair[2]);
    if (value === undefined) return undefined;
    raw[key] = value;
    keys.push({ key, start, end: start + key.length });
  }
  return keys.length > 0 ? { raw, keys } : undefined;
}

function readValue(text: string | undefined): string | string[] | undefined {
  if (text === undefined || text === '') return undefined;
  if (text.startsWith('[')) {
    if (!text.endsWith(']')) return undefined;
    const inner = text.slice(1, -1).trim();
    if (inner === '') return [];
    const items: string[] = [];
    for (const part of inner.split(',')) {
      const item = readScalar(part.trim());
      if (item === undefined) return undefined;
      items.push(item);
    }
    return items;
  }
  return readScalar(text);
}

function readScalar(text: string): string | undefined {
  if (text.length >= 2 && text.startsWith("'") && text.endsWith("'")) {
    const inner = text.slice(1, -1);
    return inner.includes("'") ? undefined : inner;
  }
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) {
    const inner = text.slice(1, -1);
    return /["\\]/.test(inner) ? undefined : inner;
  }
  if (!PLAIN.test(text) || NOT_STRING.test(text) || text.endsWith(' ') || text.includes(' #')) return undefined;
  return text;
}
