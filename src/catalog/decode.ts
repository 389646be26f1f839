/**
 * Turns a file's bytes into text, or into a positioned reason why it cannot be
 * read: not UTF-8 (with the line and column of the first bad byte) or a BOM.
 */
import { diagnostic, type Diagnostic } from '../core/diagnostics.ts';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The text of a file, and what is wrong with its encoding. */
export function decodeUtf8(bytes: Uint8Array): { text: string | undefined; diagnostics: Diagnostic[] } {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    const at = firstInvalidByte(bytes);
    const before = new TextDecoder('utf-8').decode(bytes.subarray(0, at));
    const lines = before.split('\n');
    const place = { line: lines.length, column: lines.at(-1)!.length + 1 };
    return {
      text: undefined,
      diagnostics: [
        diagnostic(
          'file/not-utf8',
          'error',
          `Unexpected byte \`0x${bytes[at]!.toString(16).padStart(2, '0')}\`, expected UTF-8 text (save the file as UTF-8)`,
          { place },
        ),
      ],
    };
  }
  if (text.charCodeAt(0) === 0xfeff) {
    return {
      text: text.slice(1),
      diagnostics: [
        diagnostic('file/bom', 'warning', 'Unexpected byte order mark, expected UTF-8 without a BOM', {
          place: { line: 1, column: 1 },
        }),
      ],
    };
  }
  return { text, diagnostics: [] };
}

/** Index of the first byte that breaks UTF-8. */
export function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    if (i + need >= bytes.length) return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return bytes.length;
}
