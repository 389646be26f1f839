/**
 * Sigma string values as patterns: `*` (any run), `?` (one character), `\`
 * escapes (`\*`, `\?`, `\\`; a backslash before anything else is literal), and
 * character classes for `windash`. Matching is linear or near it: fast paths
 * for equal / prefix / suffix / substring, and an iterative glob matcher with
 * single-star backtracking (O(n·m) at worst, never exponential).
 */

/** One piece of a pattern. */
export type PatternToken =
  { type: 'literal'; text: string } | { type: 'any' } | { type: 'one' } | { type: 'class'; chars: string };

/** A compiled pattern with its match function. */
export interface Pattern {
  tokens: PatternToken[];
  /** Whether matching is case-sensitive; otherwise the pattern is lower-case and expects lower-case input. */
  cased: boolean;
  test: (text: string) => boolean;
  /** The longest literal run (lower-case), which any matching text must contain. */
  longestLiteral: string;
}

/** Splits a raw Sigma string into tokens, decoding escapes. */
export function tokenize(raw: string): PatternToken[] {
  const tokens: PatternToken[] = [];
  let literal = '';
  const flush = (): void => {
    if (literal) tokens.push({ type: 'literal', text: literal });
    literal = '';
  };
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch === '\\') {
      const next = raw[i + 1];
      if (next === '*' || next === '?' || next === '\\') {
        literal += next;
        i++;
      } else literal += ch;
    } else if (ch === '*') {
      flush();
      if (tokens.at(-1)?.type !== 'any') tokens.push({ type: 'any' });
    } else if (ch === '?') {
      flush();
      tokens.push({ type: 'one' });
    } else literal += ch;
  }
  flush();
  return tokens;
}

/** A raw value decoded as plain text (escapes removed, wildcards kept as characters). */
export function plainText(raw: string): string {
  return tokenize(raw)
    .map((t) => (t.type === 'literal' ? t.text : t.type === 'any' ? '*' : t.type === 'one' ? '?' : t.chars[0]))
    .join('');
}

/** Tokens of a literal text (no wildcards). */
export function literalTokens(text: string): PatternToken[] {
  return text ? [{ type: 'literal', text }] : [];
}

/** Adds `*` at the start and/or end, as contains/startswith/endswith do. */
export function wrap(tokens: PatternToken[], before: boolean, after: boolean): PatternToken[] {
  const out = [...tokens];
  if (before && out[0]?.type !== 'any') out.unshift({ type: 'any' });
  if (after && out.at(-1)?.type !== 'any') out.push({ type: 'any' });
  return out;
}

/** Compiles tokens to a pattern; lower-cases literals unless `cased`. */
export function compilePattern(tokens: PatternToken[], cased: boolean): Pattern {
  const norm: PatternToken[] = tokens.map((t) =>
    cased
      ? t
      : t.type === 'literal'
        ? { type: 'literal', text: t.text.toLowerCase() }
        : t.type === 'class'
          ? { type: 'class', chars: t.chars.toLowerCase() }
          : t,
  );
  let longestLiteral = '';
  for (const t of norm) if (t.type === 'literal' && t.text.length > longestLiteral.length) longestLiteral = t.text;
  return { tokens: norm, cased, test: matcherFor(norm), longestLiteral: longestLiteral.toLowerCase() };
}

function matcherFor(tokens: PatternToken[]): (text: string) => boolean {
  const simple = tokens.every((t) => t.type === 'literal' || t.type === 'any');
  if (simple) {
    const shape = tokens.map((t) => (t.type === 'any' ? '*' : 'L')).join('');
    const lits = tokens.filter((t) => t.type === 'literal').map((t) => (t as { text: string }).text);
    switch (shape) {
      case '':
        return (s) => s === '';
      case '*':
        return () => true;
      case 'L':
        return (s) => s === lits[0];
      case 'L*':
        return (s) => s.startsWith(lits[0]!);
      case '*L':
        return (s) => s.endsWith(lits[0]!);
      case '*L*':
        return (s) => s.includes(lits[0]!);
      default:
        return (s) => matchSegments(s, shape, lits);
    }
  }
  return globMatcher(tokens);
}

/** Literals separated by stars: greedy left-to-right search is exact for this shape. */
function matchSegments(s: string, shape: string, lits: string[]): boolean {
  const anchoredStart = shape[0] === 'L';
  const anchoredEnd = shape.at(-1) === 'L';
  let pos = 0;
  let first = 0;
  let last = lits.length;
  if (anchoredStart) {
    if (!s.startsWith(lits[0]!)) return false;
    pos = lits[0]!.length;
    first = 1;
  }
  let end = s.length;
  if (anchoredEnd && last > first) {
    const tail = lits[last - 1]!;
    if (s.length - tail.length < pos || !s.endsWith(tail)) return false;
    end = s.length - tail.length;
    last--;
  } else if (anchoredEnd && lits.length === 1 && anchoredStart) return s.length === pos;
  for (let i = first; i < last; i++) {
    const at = s.indexOf(lits[i]!, pos);
    if (at === -1 || at + lits[i]!.length > end) return false;
    pos = at + lits[i]!.length;
  }
  return true;
}

/** Expands tokens to single-character steps once, then runs the classic star-backtracking glob match per text. */
function globMatcher(tokens: PatternToken[]): (s: string) => boolean {
  // Steps: string = one literal code unit, null = any run, '' = any one code unit, {chars} = class.
  const steps: (string | null | { chars: string })[] = [];
  for (const t of tokens) {
    if (t.type === 'literal') for (let k = 0; k < t.text.length; k++) steps.push(t.text[k]!);
    else if (t.type === 'any') steps.push(null);
    else if (t.type === 'one') steps.push('');
    else steps.push({ chars: t.chars });
  }
  const n = steps.length;
  return (s) => {
    let p = 0;
    let i = 0;
    let starP = -1;
    let starI = 0;
    while (i < s.length) {
      const step = p < n ? steps[p] : undefined;
      if (step !== undefined && step !== null && stepMatches(step, s[i]!)) {
        p++;
        i++;
      } else if (step === null) {
        starP = p++;
        starI = i;
      } else if (starP !== -1) {
        p = starP + 1;
        i = ++starI;
      } else return false;
    }
    while (p < n && steps[p] === null) p++;
    return p === n;
  };
}

function stepMatches(step: string | { chars: string }, ch: string): boolean {
  if (typeof step === 'string') return step === '' || step === ch;
  return step.chars.includes(ch);
}
