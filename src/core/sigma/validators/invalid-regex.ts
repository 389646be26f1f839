/**
 * A `|re` value that does not compile. Regexes are checked with RE2 (what
 * the evaluator runs, linear time); a pattern RE2 rejects but JavaScript
 * accepts (a lookaround, a backreference) is valid PCRE but cannot be
 * evaluated safely here, which is a warning.
 */
import { RE2JS } from 're2js';
import type { DocumentValidator, Finding } from './validator.ts';
import { documentMatchers } from './walk.ts';

type RegexProblem = { message: string; unsupported: boolean } | undefined;

/** Verdicts by pattern: rules repeat the same regexes, and RE2 compilation is the costly part. */
const verdicts = new Map<string, RegexProblem>();

/** Why a Sigma regex does not compile, or undefined when it does. `unsupported` means RE2 only. */
export function regexProblem(pattern: string): RegexProblem {
  if (verdicts.has(pattern)) return verdicts.get(pattern);
  const problem = compileProblem(pattern);
  verdicts.set(pattern, problem);
  return problem;
}

function compileProblem(pattern: string): RegexProblem {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (error) {
    const message = (error as Error).message;
    try {
      new RegExp(pattern.replace(/^\(\?[imsx]+\)/, ''), 'u');
      return { message, unsupported: true };
    } catch {
      return { message, unsupported: false };
    }
  }
}

export const invalidRegex: DocumentValidator = {
  id: 'sigma/invalid-regex',
  severity: 'error',
  check(document) {
    const findings: Finding[] = [];
    for (const matcher of documentMatchers(document)) {
      if (!matcher.modifiers.some((m) => m.name === 're')) continue;
      for (const value of matcher.values) {
        if (value.type !== 'string') continue;
        const problem = regexProblem(value.value);
        if (!problem) continue;
        findings.push(
          problem.unsupported
            ? {
                message: `Unexpected regex construct in \`${value.value}\` (${problem.message}), expected the RE2 subset (no lookarounds or backreferences)`,
                place: value.range,
                severity: 'warning',
              }
            : {
                message: `Unexpected regex \`${value.value}\` that does not compile (${problem.message}), expected a valid regular expression`,
                place: value.range,
              },
        );
      }
    }
    return findings;
  },
};
