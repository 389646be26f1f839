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

/**
 * Literals one of which every match of `pattern` contains (lower-case): the
 * {@link requiredLiteral} of each top-level alternative, or null when an
 * alternative has none.
 */
export function requiredLiterals(pattern: string): string[] | null {
  if (pattern.includes('\\Q')) return null;
  const branches: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\') i = escapeEnd(pattern, i);
    else if (ch === '[') i = classEnd(pattern, i);
    else if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    else if (ch === '|' && depth === 0) {
      branches.push(pattern.slice(start, i));
      start = i + 1;
    }
  }
  branches.push(pattern.slice(start));
  // Flags set at the start (`(?i)a|b`) apply to every branch; they do not change which literals are required.
  const literals = branches.map(requiredLiteral);
  return literals.some((l) => l === '') ? null : [...new Set(literals)];
}

/**
 * The longest literal run every match of `pattern` must contain (lower-case),
 * or `''` when none can be proven. Conservative: only runs at the top level of
 * a pattern without alternation count; a run ends at any class, group, escape
 * other than escaped punctuation, or `.`, and a character followed by `?`, `*`
 * or `{` is left out (it may be absent).
 */
export function requiredLiteral(pattern: string): string {
  if (pattern.includes('\\Q')) return '';
  let best = '';
  let run = '';
  let depth = 0;
  const end = (): void => {
    if (depth === 0 && run.length > best.length) best = run;
    run = '';
  };
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    let literal: string | undefined;
    if (ch === '\\') {
      const next = pattern[i + 1];
      if (next !== undefined && /[^\p{L}\p{N}\s]/u.test(next)) {
        literal = next;
        i++;
      } else i = escapeEnd(pattern, i);
    } else if (ch === '[') i = classEnd(pattern, i);
    else if (ch === '|') {
      // Alternation at the top level: no run is required. Inside a group it only touches that group.
      if (depth === 0) return '';
    } else if (ch === '(') {
      end();
      depth++;
    } else if (ch === ')') depth = Math.max(0, depth - 1);
    else if ('.^$'.includes(ch)) literal = undefined;
    else if ('?*{'.includes(ch)) {
      // The previous character (or group) is optional.
      run = run.slice(0, -1);
      if (ch === '{') while (i < pattern.length && pattern[i] !== '}') i++;
    } else if (ch === '+') {
      end();
      continue;
    } else literal = ch;
    if (literal === undefined || depth > 0) {
      end();
      continue;
    }
    // A literal followed by an optional quantifier is handled when the quantifier is read.
    run += literal;
  }
  end();
  return best.toLowerCase();
}

/** The index of the last character of the escape starting at `i` (`\\d`, `\\x41`, `\\x{263a}`, `\\pL`, `\\p{Greek}`, `\\012`). */
function escapeEnd(pattern: string, i: number): number {
  const next = pattern[i + 1];
  let j = i + 1;
  if (next === 'x' || next === 'p' || next === 'P') {
    if (pattern[j + 1] === '{') {
      const close = pattern.indexOf('}', j + 1);
      return close === -1 ? pattern.length - 1 : close;
    }
    return Math.min(pattern.length - 1, j + (next === 'x' ? 2 : 1));
  }
  if (next !== undefined && next >= '0' && next <= '9') while (/[0-9]/.test(pattern[j + 1] ?? '')) j++;
  return j;
}

/** The index of the `]` closing the class that starts at `i` (a `]` right after `[` or `[^` is a member; `[:alpha:]` inside). */
function classEnd(pattern: string, i: number): number {
  let j = i + 1;
  if (pattern[j] === '^') j++;
  if (pattern[j] === ']') j++;
  while (j < pattern.length && pattern[j] !== ']') {
    if (pattern[j] === '\\') j += 2;
    else if (pattern[j] === '[' && pattern[j + 1] === ':') {
      const close = pattern.indexOf(':]', j + 2);
      j = close === -1 ? j + 1 : close + 2;
    } else j++;
  }
  return j;
}
