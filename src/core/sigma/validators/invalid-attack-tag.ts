/**
 * An ATT&CK tag with an invalid format: `attack.T1059` (upper case),
 * `attack.t159`, `attack.exection`. Valid: `attack.t1059`, `attack.t1059.001`,
 * `attack.g0016` (group), `attack.s0002` (software), `attack.<tactic>`.
 */
import { TACTICS } from '../../detection/frontmatter-fields.ts';
import { suggest } from '../../text/suggest.ts';
import type { DocumentValidator, Finding } from './validator.ts';

/** ATT&CK tactics by short name: Enterprise (the frontmatter's vocabulary, v19 and earlier names), Mobile and ICS. */
export const ATTACK_TACTICS: readonly string[] = [
  ...TACTICS,
  'evasion',
  'inhibit-response-function',
  'impair-process-control',
];

const ID = /^(t\d{4}(\.\d{3})?|[gsm]\d{4}|ta\d{4}|ds\d{4}|c\d{4})$/;

/** Why an `attack.` tag is invalid, or undefined when it is valid. */
export function attackTagProblem(tag: string): { expected: string; suggestions: string[] } | undefined {
  const rest = tag.slice('attack.'.length);
  if (ID.test(rest) || ATTACK_TACTICS.includes(rest)) return undefined;
  if (ID.test(rest.toLowerCase()))
    return {
      expected: `\`attack.${rest.toLowerCase()}\` (tags are lower case)`,
      suggestions: [`attack.${rest.toLowerCase()}`],
    };
  if (/^[tT]\d/.test(rest))
    return { expected: 'a technique such as `attack.t1059` or `attack.t1059.001`', suggestions: [] };
  const near = suggest(rest, ATTACK_TACTICS).map((t) => `attack.${t}`);
  return {
    expected: near.length
      ? near.map((n) => '`' + n + '`').join(' or ')
      : 'a technique (`attack.t1059.001`), a group (`attack.g0016`), software (`attack.s0002`) or a tactic (`attack.execution`)',
    suggestions: near,
  };
}

export const invalidAttackTag: DocumentValidator = {
  id: 'sigma/invalid-attack-tag',
  severity: 'error',
  check(document) {
    const findings: Finding[] = [];
    document.tags.forEach((tag, i) => {
      if (!tag.toLowerCase().startsWith('attack.')) return;
      const problem = attackTagProblem(tag);
      if (!problem) return;
      findings.push({
        message: `Unexpected ATT&CK tag \`${tag}\`, expected ${problem.expected}`,
        place: document.ranges.value(`tags.${i}`),
        expected: problem.suggestions,
      });
    });
    return findings;
  },
};
