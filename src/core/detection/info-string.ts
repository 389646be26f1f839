/**
 * Parses a fenced block's info string attributes:
 * ```json expect=match name="encoded command"```.
 */

/** An attribute list and the unparsable rest, if any. */
export interface InfoAttributes {
  attributes: Record<string, string>;
  /** Words that are not `key=value`, in order. */
  flags: string[];
}

const ATTRIBUTE = /\s*([A-Za-z_][\w-]*)(?:=(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)))?/y;

/** Splits `key=value key="quoted value" flag` into attributes and bare flags. */
export function parseInfoAttributes(meta: string | null | undefined): InfoAttributes {
  const attributes: Record<string, string> = {};
  const flags: string[] = [];
  if (!meta) return { attributes, flags };
  ATTRIBUTE.lastIndex = 0;
  let at = 0;
  while (at < meta.length) {
    ATTRIBUTE.lastIndex = at;
    const match = ATTRIBUTE.exec(meta);
    if (!match || match[0].length === 0) {
      const rest = meta.slice(at).trim();
      if (rest) flags.push(rest.split(/\s+/)[0]!);
      const next = meta.indexOf(' ', at + 1);
      if (next === -1) break;
      at = next;
      continue;
    }
    const [, key, dq, sq, bare] = match;
    const value = dq !== undefined ? dq.replace(/\\(.)/g, '$1') : (sq ?? bare);
    if (value === undefined) flags.push(key!);
    else attributes[key!] = value;
    at = ATTRIBUTE.lastIndex;
  }
  return { attributes, flags };
}
