/**
 * The Sigma v2 detection condition grammar, parsed to a syntax tree whose
 * nodes carry file ranges.
 *
 * Precedence, least to most binding: `or`, `and`, `not`, `x of pattern`,
 * parentheses. Keywords are lower case, as in pySigma. Aggregations
 * (`| count() by x > 5`) and `near` belonged to Sigma v1 and are errors here:
 * Sigma v2 expresses them as correlation rules.
 */
import type { Range } from '../diagnostics.ts';
import type { ConditionNode } from './model.ts';
import { lazyRange } from './ranges.ts';

/** Maps an offset in the condition string to a file range. */
export type ConditionPlacer = (start: number, end: number) => Range;

/** Why a condition does not parse, with offsets into the condition string. */
export interface ConditionError {
  message: string;
  start: number;
  end: number;
  expected?: string[];
  /** True for a Sigma v1 aggregation or `near`, which Sigma v2 moved to correlation rules. */
  aggregation?: boolean;
}

/** The tree, or why there is none. */
export type ConditionParse = { ok: true; node: ConditionNode } | { ok: false; error: ConditionError };

interface Token {
  kind: 'word' | '(' | ')' | '|' | 'end';
  text: string;
  start: number;
  end: number;
}

const AGGREGATES = new Set(['count', 'min', 'max', 'avg', 'sum']);
const KEYWORDS = new Set(['and', 'or', 'not', 'of', 'them', 'all', 'any', '1']);
const IDENTIFIER = /^[A-Za-z0-9_.-]+$/;
const PATTERN = /^[A-Za-z0-9_.\-*]+$/;
const EXPECTED_OPERAND = 'a search identifier, `not`, `(`, `1 of` or `all of`';

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i++;
      continue;
    }
    if (c === 40 || c === 41 || c === 124) {
      tokens.push({ kind: text[i] as '(' | ')' | '|', text: text[i]!, start: i, end: i + 1 });
      i++;
      continue;
    }
    const start = i;
    while (i < n) {
      const d = text.charCodeAt(i);
      if (d === 32 || d === 9 || d === 10 || d === 13 || d === 40 || d === 41 || d === 124) break;
      i++;
    }
    tokens.push({ kind: 'word', text: text.slice(start, i), start, end: i });
  }
  tokens.push({ kind: 'end', text: '', start: n, end: n });
  return tokens;
}

class Failure {
  readonly error: ConditionError;
  constructor(error: ConditionError) {
    this.error = error;
  }
}

/** Parses one condition string. Never throws for bad input. */
export function parseCondition(text: string, place: ConditionPlacer): ConditionParse {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token => tokens[pos]!;
  const fail = (token: Token, expected: string, suggestions?: string[]): never => {
    const what = token.kind === 'end' ? 'end of condition' : '`' + token.text + '`';
    const error: ConditionError = {
      message: `Unexpected ${what}, expected ${expected}`,
      start: token.start,
      end: token.end,
    };
    if (suggestions && suggestions.length) error.expected = suggestions;
    throw new Failure(error);
  };
  const failAggregation = (token: Token): never => {
    throw new Failure({
      message:
        'Unexpected aggregation `' +
        text.slice(token.start).trim() +
        '`, expected a Sigma v2 condition (aggregations such as `count() by` are correlation rules in Sigma v2)',
      start: token.start,
      end: text.trimEnd().length,
      aggregation: true,
    });
  };

  const parseOr = (): ConditionNode => {
    const first = parseAnd();
    const children = [first];
    while (peek().kind === 'word' && peek().text === 'or') {
      pos++;
      children.push(parseAnd());
    }
    return children.length === 1 ? first : { type: 'or', children, range: span(children) };
  };
  const parseAnd = (): ConditionNode => {
    const first = parseNot();
    const children = [first];
    while (peek().kind === 'word' && peek().text === 'and') {
      pos++;
      children.push(parseNot());
    }
    return children.length === 1 ? first : { type: 'and', children, range: span(children) };
  };
  const parseNot = (): ConditionNode => {
    const token = peek();
    if (token.kind === 'word' && token.text === 'not') {
      pos++;
      const child = parseNot();
      return { type: 'not', child, range: joinRanges(place(token.start, token.end), child.range) };
    }
    return parsePrimary();
  };
  const parsePrimary = (): ConditionNode => {
    const token = peek();
    if (token.kind === '(') {
      pos++;
      const inner = parseOr();
      const close = peek();
      if (close.kind === '|') failAggregation(close);
      if (close.kind !== ')') fail(close, '`)` or an operator (`and`, `or`)');
      pos++;
      return inner;
    }
    if (token.kind === '|') failAggregation(token);
    if (token.kind !== 'word') return fail(token, EXPECTED_OPERAND);
    const word = token.text;
    if (word === '1' || word === 'all' || word === 'any') {
      pos++;
      const of = peek();
      if (of.kind !== 'word' || of.text !== 'of') return fail(of, '`of`');
      pos++;
      const target = peek();
      if (target.kind !== 'word' || (KEYWORDS.has(target.text) && target.text !== 'them')) {
        return fail(target, '`them` or a search identifier pattern such as `selection_*`');
      }
      if (target.text !== 'them' && !PATTERN.test(target.text)) {
        return fail(target, 'a search identifier pattern (letters, digits, `_`, `-`, `.` and `*`)');
      }
      pos++;
      return {
        type: 'quantified',
        quantifier: word === 'all' ? 'all' : 'any',
        target: target.text === 'them' ? { type: 'them' } : { type: 'pattern', pattern: target.text },
        range: place(token.start, target.end),
      };
    }
    if (/^\d+$/.test(word)) {
      const next = tokens[pos + 1];
      if (next && next.kind === 'word' && next.text === 'of')
        return fail(token, '`1` or `all` before `of`', ['1', 'all']);
    }
    if (word === 'near') failAggregation(token);
    if (AGGREGATES.has(word) && tokens[pos + 1]?.kind === '(') failAggregation(token);
    if (KEYWORDS.has(word)) return fail(token, EXPECTED_OPERAND);
    const lower = word.toLowerCase();
    if (lower !== word && KEYWORDS.has(lower))
      return fail(token, '`' + lower + '` (condition keywords are lower case)', [lower]);
    if (!IDENTIFIER.test(word)) {
      if (word.includes('*')) return fail(token, 'a search identifier; a pattern needs `1 of` or `all of` before it');
      return fail(token, 'a search identifier (letters, digits, `_`, `-` and `.`)');
    }
    pos++;
    return { type: 'identifier', name: word, range: place(token.start, token.end) };
  };

  try {
    if (tokens.length === 1) fail(tokens[0]!, EXPECTED_OPERAND);
    const node = parseOr();
    const rest = peek();
    if (rest.kind === '|') failAggregation(rest);
    if (rest.kind !== 'end') {
      const lower = rest.text.toLowerCase();
      if (rest.kind === 'word' && lower !== rest.text && (lower === 'and' || lower === 'or')) {
        fail(rest, '`' + lower + '` (condition keywords are lower case)', [lower]);
      }
      if (rest.kind === 'word' && rest.text === 'near') failAggregation(rest);
      fail(rest, 'an operator (`and`, `or`) or the end of the condition');
    }
    return { ok: true, node };
  } catch (error) {
    if (error instanceof Failure) return { ok: false, error: error.error };
    throw error;
  }
}

function span(children: ConditionNode[]): Range {
  return joinRanges(children[0]!.range, children[children.length - 1]!.range);
}

/**
 * The range from the start of `first` to the end of `last`. Reads them only
 * when asked, so ranges that are computed lazily stay lazy.
 */
export function joinRanges(first: Range, last: Range): Range {
  return lazyRange(() => ({ start: first.start, end: last.end ?? last.start }));
}

/** Every search-identifier name and pattern a condition mentions. */
export function conditionReferences(node: ConditionNode, out: ConditionNode[] = []): ConditionNode[] {
  switch (node.type) {
    case 'and':
    case 'or':
      for (const child of node.children) conditionReferences(child, out);
      return out;
    case 'not':
      return conditionReferences(node.child, out);
    case 'identifier':
    case 'quantified':
      out.push(node);
      return out;
    default: {
      const never: never = node;
      return never;
    }
  }
}

/** Whether a search-identifier name matches a `*` pattern of a quantified condition. */
export function matchesPattern(name: string, pattern: string): boolean {
  if (!pattern.includes('*')) return name === pattern;
  const parts = pattern.split('*');
  let at = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (i === 0) {
      if (!name.startsWith(part)) return false;
      at = part.length;
    } else if (i === parts.length - 1) {
      return name.length - part.length >= at && name.endsWith(part);
    } else {
      const found = name.indexOf(part, at);
      if (found === -1) return false;
      at = found + part.length;
    }
  }
  return true;
}
