/**
 * Sigma `re` values run on RE2 (the re2js port): matching is linear in the
 * input, so a catastrophic pattern such as `(a+)+$` cannot hang a test or a
 * hunt. Patterns RE2 cannot express (backreferences, lookarounds) are
 * reported, not silently approximated.
 */
import { RE2JS } from 're2js';

/** A compiled regex, or why it could not be compiled. */
export type SafeRegex = { ok: true; test: (text: string) => boolean } | { ok: false; reason: string };

/** Regex flags Sigma allows as sub-modifiers of `re`. */
export interface RegexFlags {
  i?: boolean;
  m?: boolean;
  s?: boolean;
}

/** Compiles a pattern with RE2 semantics; never throws. */
export function compileSafeRegex(pattern: string, flags: RegexFlags = {}): SafeRegex {
  let bits = 0;
  if (flags.i) bits |= RE2JS.CASE_INSENSITIVE;
  if (flags.m) bits |= RE2JS.MULTILINE;
  if (flags.s) bits |= RE2JS.DOTALL;
  try {
    const re = RE2JS.compile(pattern, bits);
    return { ok: true, test: (text) => re.test(text) };
  } catch (error) {
    return { ok: false, reason: String((error as Error).message ?? error) };
  }
}
