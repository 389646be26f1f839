/**
 * Value transformations of the Sigma modifiers that rewrite the searched
 * value before matching: base64, base64offset, utf16le/utf16be/utf16/wide and
 * windash. Pure functions over strings and bytes; no Buffer, so they run in a browser.
 */
import type { PatternToken } from './pattern.ts';

/** A value between transformations: text, or bytes after an utf16 modifier. */
export type Encoded = string | Uint8Array;

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** UTF-8 bytes of text (what base64 of a plain string encodes). */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

function bytesOf(value: Encoded): Uint8Array {
  return typeof value === 'string' ? utf8(value) : value;
}

/** Standard base64 with padding. */
export function base64(value: Encoded): string {
  const bytes = bytesOf(value);
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    out += B64[a >> 2]! + B64[((a & 3) << 4) | ((b ?? 0) >> 4)]!;
    out += b === undefined ? '=' : B64[((b & 15) << 2) | ((c ?? 0) >> 6)]!;
    out += c === undefined ? '=' : B64[c & 63]!;
  }
  return out;
}

/**
 * The three base64 forms of a value that appears at byte offset 0, 1 or 2 of a
 * longer encoded string, with the position-dependent edge characters cut off
 * (as pySigma and the specification define it).
 */
export function base64Offsets(value: Encoded): string[] {
  const bytes = bytesOf(value);
  const startCut = [0, 2, 3];
  const endCut = [0, 3, 2];
  const out: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const shifted = new Uint8Array(shift + bytes.length);
    shifted.fill(0x20, 0, shift);
    shifted.set(bytes, shift);
    const encoded = base64(shifted);
    const cut = endCut[(bytes.length + shift) % 3]!;
    out.push(encoded.slice(startCut[shift]!, cut ? encoded.length - cut : encoded.length));
  }
  return out;
}

/** UTF-16 code units as bytes, little- or big-endian, optionally with a byte order mark (FF FE). */
export function utf16(value: Encoded, order: 'le' | 'be', bom: boolean): Uint8Array {
  const text = typeof value === 'string' ? value : new TextDecoder().decode(value);
  const out = new Uint8Array(text.length * 2 + (bom ? 2 : 0));
  let o = 0;
  if (bom) {
    out[o++] = 0xff;
    out[o++] = 0xfe;
  }
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const lo = unit & 0xff;
    const hi = unit >> 8;
    out[o++] = order === 'le' ? lo : hi;
    out[o++] = order === 'le' ? hi : lo;
  }
  return out;
}

/** Bytes read back as a string of one character per byte, to search raw text for encoded forms. */
export function latin1(value: Encoded): string {
  if (typeof value === 'string') return value;
  let out = '';
  for (const byte of value) out += String.fromCharCode(byte);
  return out;
}

/** The characters `windash` makes interchangeable. */
export const WINDASH_CHARS = '-/\u2013\u2014\u2015';

/**
 * `windash`: every `-` or `/` that starts a command-line flag (not preceded by
 * a word character, followed by one) may be any of the five dash characters.
 * Up to three such places give all permutations as separate plain patterns
 * (which keep the fast substring paths and the index's needles); more become
 * a character class.
 */
export function windash(tokens: PatternToken[]): PatternToken[][] {
  const classed = windashClasses(tokens);
  const places = classed.filter((t) => t.type === 'class').length;
  if (places === 0 || places > 3) return [classed];
  let variants: PatternToken[][] = [[]];
  for (const token of classed) {
    if (token.type === 'class')
      variants = variants.flatMap((v) => [...token.chars].map((ch) => [...v, { type: 'literal' as const, text: ch }]));
    else variants = variants.map((v) => [...v, token]);
  }
  return variants.map(mergeLiterals);
}

function mergeLiterals(tokens: PatternToken[]): PatternToken[] {
  const out: PatternToken[] = [];
  for (const t of tokens) {
    const last = out.at(-1);
    if (t.type === 'literal' && last?.type === 'literal')
      out[out.length - 1] = { type: 'literal', text: last.text + t.text };
    else out.push(t);
  }
  return out;
}

function windashClasses(tokens: PatternToken[]): PatternToken[] {
  const out: PatternToken[] = [];
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t]!;
    if (token.type !== 'literal') {
      out.push(token);
      continue;
    }
    const prevToken = tokens[t - 1];
    const nextToken = tokens[t + 1];
    let literal = '';
    const text = token.text;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      const before = i > 0 ? text[i - 1] : prevToken?.type === 'literal' ? prevToken.text.at(-1) : undefined;
      const after = i + 1 < text.length ? text[i + 1] : nextToken?.type === 'literal' ? nextToken.text[0] : undefined;
      const startsFlag =
        (ch === '-' || ch === '/') && !(before !== undefined && isWord(before)) && after !== undefined && isWord(after);
      if (startsFlag) {
        if (literal) out.push({ type: 'literal', text: literal });
        literal = '';
        out.push({ type: 'class', chars: WINDASH_CHARS });
      } else literal += ch;
    }
    if (literal) out.push({ type: 'literal', text: literal });
  }
  return out;
}

function isWord(ch: string): boolean {
  return /[\p{L}\p{N}_]/u.test(ch);
}
