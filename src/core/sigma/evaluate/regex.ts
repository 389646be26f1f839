/**
 * Sigma `re` values run on RE2 (the re2js port): matching is linear in the
 * input, so a catastrophic pattern such as `(a+)+$` cannot hang a test or a
 * hunt. Patterns RE2 cannot express (backreferences, lookarounds) are
 * reported, not silently approximated.
 */
import { RE2JS } from 're2js';
import { isAscii } from '../../text/ascii.ts';

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
    const native = nativeEquivalent(pattern, flags);
    if (native === null) return { ok: true, test: (text) => re.test(text) };
    // Short ASCII texts take the equivalent built-in RegExp (bounded backtracking, see nativeEquivalent).
    return {
      ok: true,
      test: (text) => (text.length <= NATIVE_MAX_TEXT && isAscii(text) ? native.test(text) : re.test(text)),
    };
  } catch (error) {
    return { ok: false, reason: String((error as Error).message ?? error) };
  }
}

/** Texts up to this length may take the built-in RegExp. */
const NATIVE_MAX_TEXT = 4096;
/** At most this many ways for a pattern to match from one position (product of quantifier ranges and branches). */
const NATIVE_MAX_PATHS = 1024;
/** RE2's `\s` (ASCII, without `\v`); JavaScript's also takes `\v` and Unicode spaces. */
const RE2_SPACE = '\\t\\n\\f\\r ';

/**
 * The same regex for the built-in engine, when it provably matches exactly
 * what RE2 matches on an ASCII text and cannot backtrack much: ASCII literals,
 * classes and `\d \w \s \b` escapes (`\s` and `.` spelt out as RE2 reads
 * them), `^`/`$` without `m`, unquantified groups and alternations, and only
 * bounded quantifiers (`?`, `{n}`, `{n,m}`) on single characters or classes,
 * with at most {@link NATIVE_MAX_PATHS} ways to match from one position. On
 * texts of at most {@link NATIVE_MAX_TEXT} characters that bounds the work.
 * A leading `(?i)` is read as the `i` flag; anything else (other flags,
 * lookarounds, backreferences, `\p`, `\x`, unbounded repetition, `m`) stays
 * with RE2. Null when the pattern does not qualify.
 */
export function nativeEquivalent(pattern: string, flags: RegexFlags = {}): RegExp | null {
  if (flags.m) return null;
  let ignoreCase = Boolean(flags.i);
  let i = 0;
  if (pattern.startsWith('(?i)')) {
    ignoreCase = true;
    i = 4;
  }
  let out = '';
  let paths = 1;
  let depth = 0;
  // Branch counts of the open groups (and of the top level, at index 0).
  const branches: number[] = [1];
  let lastAtom = false; // whether the previous token can take a quantifier
  while (i < pattern.length) {
    const ch = pattern[i]!;
    const code = ch.charCodeAt(0);
    if (code > 0x7e || code < 0x20) return null;
    if (ch === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) return null;
      if ('dDwWbBtnrfv'.includes(next)) out += '\\' + next;
      else if (next === 's') out += `[${RE2_SPACE}]`;
      else if (next === 'S') out += `[^${RE2_SPACE}]`;
      else if (/[!-/:-@[-`{-~]/.test(next)) out += '\\' + next;
      else return null;
      lastAtom = next !== 'b' && next !== 'B';
      i += 2;
    } else if (ch === '[') {
      const end = nativeClass(pattern, i);
      if (end === null) return null;
      out += end.text;
      i = end.next;
      lastAtom = true;
    } else if (ch === '(') {
      if (pattern[i + 1] === '?') {
        if (pattern[i + 2] !== ':') return null;
        out += '(?:';
        i += 3;
      } else {
        out += '(?:';
        i++;
      }
      depth++;
      branches.push(1);
      lastAtom = false;
    } else if (ch === ')') {
      if (depth === 0) return null;
      depth--;
      paths *= branches.pop()!;
      out += ')';
      i++;
      // A quantified group could multiply the paths of everything inside it: not handled.
      if (isQuantifier(pattern[i])) return null;
      lastAtom = false;
    } else if (ch === '|') {
      branches[branches.length - 1]!++;
      out += '|';
      i++;
      lastAtom = false;
    } else if (ch === '?' || ch === '{') {
      if (!lastAtom) return null;
      let low = 0;
      let high = 1;
      if (ch === '{') {
        const m = /^\{(\d{1,4})(?:(,)(\d{1,4})?)?\}/.exec(pattern.slice(i));
        if (!m || (m[2] && m[3] === undefined)) return null;
        low = Number(m[1]);
        high = m[2] ? Number(m[3]) : low;
        if (high < low) return null;
        out += m[0];
        i += m[0].length;
      } else {
        out += '?';
        i++;
      }
      // Lazy or possessive forms and stacked quantifiers stay with RE2.
      if (isQuantifier(pattern[i])) return null;
      paths *= high - low + 1;
      lastAtom = false;
    } else if (ch === '*' || ch === '+') return null;
    else if (ch === '.') {
      out += flags.s ? '[\\s\\S]' : '[^\\n]';
      i++;
      lastAtom = true;
    } else if (ch === '^' || ch === '$') {
      out += ch;
      i++;
      lastAtom = false;
    } else if (ch === ']' || ch === '}') {
      out += '\\' + ch;
      i++;
      lastAtom = true;
    } else {
      out += ch;
      i++;
      lastAtom = true;
    }
    if (paths > NATIVE_MAX_PATHS) return null;
  }
  if (depth !== 0) return null;
  paths *= branches[0]!;
  if (paths > NATIVE_MAX_PATHS) return null;
  try {
    return new RegExp(out, ignoreCase ? 'i' : '');
  } catch {
    return null;
  }
}

function isQuantifier(ch: string | undefined): boolean {
  return ch === '?' || ch === '*' || ch === '+' || ch === '{';
}

/** A class `[...]` of ASCII characters, ranges and `\d \w \s` escapes, spelt for the built-in engine. */
function nativeClass(pattern: string, start: number): { text: string; next: number } | null {
  let i = start + 1;
  let text = '[';
  if (pattern[i] === '^') {
    text += '^';
    i++;
  }
  let first = true;
  while (i < pattern.length) {
    const ch = pattern[i]!;
    const code = ch.charCodeAt(0);
    if (code > 0x7e || code < 0x20) return null;
    if (ch === ']' && !first) return { text: text + ']', next: i + 1 };
    if (ch === '[') return null; // `[[:alpha:]]` and nested classes stay with RE2
    if (ch === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) return null;
      if ('dDwWtnrfv'.includes(next)) text += '\\' + next;
      else if (next === 's') text += RE2_SPACE;
      else if (/[!-/:-@[-`{-~]/.test(next)) text += '\\' + next;
      else return null;
      i += 2;
    } else if (ch === '-' && !first && pattern[i + 1] !== ']') {
      // A range: both ends must be plain characters (`[\\w-z]` is read differently by the two engines).
      if (pattern[i - 1] === '\\' || pattern[i + 1] === '\\' || pattern[i - 2] === '\\') return null;
      text += '-';
      i++;
    } else {
      text += ch === ']' || ch === '-' || ch === '^' ? '\\' + ch : ch;
      i++;
    }
    first = false;
  }
  return null;
}

/**
 * Literals one of which every match of `pattern` contains (lower-case): the
 * {@link requiredNeedles} of each top-level alternative, or null when an
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
  const needles: string[] = [];
  for (const branch of branches) {
    const own = requiredNeedles(branch);
    if (own.length === 0) return null;
    needles.push(...own);
  }
  return [...new Set(needles)];
}

/**
 * A lower bound on the length (in UTF-16 code units) of any text a regex matches: literals count one each, classes
 * and `.` one (a code point is at least one unit), anchors and `\\b` none; a group its shortest alternative; `?` and
 * `*` make an item optional, `{n,…}` repeats it n times. 0 for anything it does not read (`\\Q…\\E`, odd syntax),
 * so a text shorter than the bound cannot match: `.{1000,}` needs no engine on a short command line.
 */
export function regexMinLength(pattern: string): number {
  let i = 0;
  const alternation = (): number => {
    let best = Infinity;
    for (;;) {
      best = Math.min(best, sequence());
      if (pattern[i] !== '|') return best;
      i++;
    }
  };
  const sequence = (): number => {
    let total = 0;
    while (i < pattern.length && pattern[i] !== '|' && pattern[i] !== ')') total += quantified(atom());
    return total;
  };
  const atom = (): number => {
    const ch = pattern[i]!;
    if (ch === '(') {
      i++;
      if (pattern[i] === '?') {
        const flags = /^\?[a-zA-Z-]*([:)])/.exec(pattern.slice(i));
        const named = /^\?P?<[A-Za-z0-9_]+>/.exec(pattern.slice(i));
        if (flags?.[1] === ')') {
          i += flags[0].length; // `(?i)`: flags only, matches nothing
          // A repetition right after it applies to what came before (RE2 reads `a+(?i){0,2}` so): not followed.
          if ('*+?{'.includes(pattern[i] ?? '.')) throw new Error('quantified flags');
          return 0;
        }
        if (flags) i += flags[0].length;
        else if (named) i += named[0].length;
        else throw new Error('group');
      }
      const n = alternation();
      if (pattern[i] !== ')') throw new Error('unclosed group');
      i++;
      return n;
    }
    if (ch === '[') {
      i = classEnd(pattern, i) + 1;
      return 1;
    }
    if (ch === '\\') {
      const next = pattern[i + 1];
      if (next === undefined || next === 'Q') throw new Error('escape');
      if ('bBAz'.includes(next)) {
        i += 2;
        return 0;
      }
      i = escapeEnd(pattern, i) + 1;
      return 1;
    }
    i++;
    return ch === '^' || ch === '$' ? 0 : 1;
  };
  const quantified = (n: number): number => {
    const ch = pattern[i];
    let result = n;
    if (ch === '*' || ch === '?') {
      i++;
      result = 0;
    } else if (ch === '+') i++;
    else if (ch === '{') {
      const m = /^\{(\d+)(,\d*)?\}/.exec(pattern.slice(i));
      if (!m) return n;
      i += m[0].length;
      result = n * Number(m[1]);
    } else return n;
    if (pattern[i] === '?') i++; // lazy
    return result;
  };
  try {
    const n = alternation();
    return i === pattern.length && Number.isFinite(n) ? n : 0;
  } catch {
    return 0;
  }
}

/** At most this many needles stand for one branch (a run through small classes expands to each spelling). */
const MAX_EXPANSION = 16;

/**
 * Needles one of which every match of a branch contains, lower-case; empty when none can be proven (and for a
 * pattern with a top-level `|`). Conservative: only runs at the top level count; a run ends at a group, `.`, an
 * anchor, an escape other than escaped punctuation, or a class of more than four characters (or with a range or
 * negation), and an item that may be absent (`?`, `*`, `{0,…}`) is left out. A run may pass through small classes:
 * `\.[ "']` requires one of `. `, `."` and `.'`. The best run is the longest whose spellings number at most
 * {@link MAX_EXPANSION} (fewer spellings first).
 */
export function requiredNeedles(pattern: string): string[] {
  if (pattern.includes('\\Q')) return [];
  let best: string[][] = [];
  let run: string[][] = [];
  let depth = 0;
  const consider = (sets: string[][]): void => {
    // Every window of the run is required too; keep the longest one with few spellings.
    for (let i = 0; i < sets.length; i++) {
      let count = 1;
      for (let j = i; j < sets.length; j++) {
        count *= sets[j]!.length;
        if (count > MAX_EXPANSION) break;
        const length = j - i + 1;
        if (length > best.length || (length === best.length && count < spellings(best))) best = sets.slice(i, j + 1);
      }
    }
  };
  const end = (): void => {
    if (depth === 0) consider(run);
    run = [];
  };
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    let set: string[] | undefined;
    if (ch === '\\') {
      const next = pattern[i + 1];
      if (next !== undefined && /[^\p{L}\p{N}\s]/u.test(next)) {
        set = [next];
        i++;
      } else i = escapeEnd(pattern, i);
    } else if (ch === '[') {
      const close = classEnd(pattern, i);
      set = smallClass(pattern.slice(i + 1, close));
      i = close;
    } else if (ch === '(') {
      end();
      depth++;
      continue;
    } else if (ch === ')') {
      depth = Math.max(0, depth - 1);
      end();
      continue;
    } else if (ch === '?' || ch === '*' || ch === '{' || ch === '+') {
      // A quantifier on the previous character or class (after a group the run has ended already). `{1}` lets the
      // run go on; `+` and `{n,…}` with n ≥ 1 keep the item but end the run (more may follow); `?`, `*` and
      // `{0,…}` drop it (it may be absent). A lazy `?` after a quantifier changes nothing here.
      let kept = ch === '+';
      if (ch === '{') {
        const close = pattern.indexOf('}', i);
        const body = close === -1 ? '' : pattern.slice(i + 1, close);
        i = close === -1 ? pattern.length : close;
        if (pattern[i + 1] === '?') i++;
        if (body === '1' || body === '1,1') continue;
        kept = Number(body.split(',')[0]) >= 1;
      } else if (pattern[i + 1] === '?') i++;
      if (!kept) run.pop();
      end();
      continue;
    } else if (ch === '|' && depth === 0) {
      // A top-level alternation: nothing is required of the whole (requiredLiterals splits the branches first).
      return [];
    } else if (!'.^$|'.includes(ch)) set = [ch];
    if (set === undefined || depth > 0) {
      end();
      continue;
    }
    run.push(set);
  }
  end();
  return expand(best).map((n) => n.toLowerCase());
}

/** The members of a class body when it is a handful of plain characters (no range, negation or named class). */
function smallClass(body: string): string[] | undefined {
  if (body.startsWith('^') || body.includes('[:')) return undefined;
  const members = new Set<string>();
  for (let i = 0; i < body.length; i++) {
    let ch = body[i]!;
    if (ch === '\\') {
      const next = body[i + 1];
      if (next === undefined || !/[^\p{L}\p{N}\s]/u.test(next)) return undefined;
      ch = next;
      i++;
    } else if (ch === '-' && i > 0 && i < body.length - 1) return undefined;
    members.add(ch);
  }
  return members.size > 0 && members.size <= 4 ? [...members] : undefined;
}

function spellings(sets: string[][]): number {
  return sets.reduce((n, s) => n * s.length, 1);
}

function expand(sets: string[][]): string[] {
  let out = [''];
  for (const set of sets) out = out.flatMap((prefix) => set.map((c) => prefix + c));
  return sets.length === 0 ? [] : out;
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
