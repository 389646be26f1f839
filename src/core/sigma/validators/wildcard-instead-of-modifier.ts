/** `CommandLine: '*foo*'`: a wildcard where `contains` (or `startswith`, `endswith`) says what is meant. */
import type { DocumentValidator, Finding } from './validator.ts';
import { documentMatchers } from './walk.ts';

/** Whether `text` starts (or ends) with an unescaped `*`. */
function leading(text: string): boolean {
  return text.startsWith('*');
}
function trailing(text: string): boolean {
  if (!text.endsWith('*')) return false;
  let backslashes = 0;
  for (let i = text.length - 2; i >= 0 && text[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 0;
}

export const wildcardInsteadOfModifier: DocumentValidator = {
  id: 'sigma/wildcard-instead-of-modifier',
  severity: 'warning',
  check(document) {
    const findings: Finding[] = [];
    for (const matcher of documentMatchers(document)) {
      if (matcher.field === null || matcher.modifiers.length > 0 || matcher.values.length === 0) continue;
      const strings = matcher.values.map((v) => (v.type === 'string' ? v.value : undefined));
      if (strings.some((s) => s === undefined || s.length < 2)) continue;
      const texts = strings as string[];
      const both = texts.every((t) => leading(t) && trailing(t) && t.length > 2);
      const start = texts.every((t) => leading(t) && !trailing(t));
      const end = texts.every((t) => trailing(t) && !leading(t));
      const modifier = both ? 'contains' : start ? 'endswith' : end ? 'startswith' : undefined;
      if (!modifier) continue;
      findings.push({
        message: `Unexpected wildcard ${both ? 'around' : start ? 'before' : 'after'} the value${texts.length > 1 ? 's' : ''} of \`${matcher.field}\`, expected \`${matcher.field}|${modifier}\` without the \`*\``,
        place: matcher.keyRange,
        expected: [`${matcher.field}|${modifier}`],
      });
    }
    return findings;
  },
};
