// eslint-disable-next-line no-control-regex -- the ASCII range is the point
const ASCII_ONLY = /^[\x00-\x7f]*$/;

/** Whether every character of `text` is ASCII (the built-in RegExp reads a string faster than a loop does). */
export function isAscii(text: string): boolean {
  return ASCII_ONLY.test(text);
}
