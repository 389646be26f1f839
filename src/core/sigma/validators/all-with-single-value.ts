/** `Field|all: value`: `all` links values with AND, so a single value is a mistake (the spec forbids it). */
import type { DocumentValidator, Finding } from './validator.ts';
import { documentMatchers } from './walk.ts';

export const allWithSingleValue: DocumentValidator = {
  id: 'sigma/all-with-single-value',
  severity: 'error',
  check(document) {
    const findings: Finding[] = [];
    for (const matcher of documentMatchers(document)) {
      const all = matcher.modifiers.find((m) => m.name === 'all');
      if (!all || matcher.values.length > 1) continue;
      findings.push({
        message: 'Unexpected `all` with a single value, expected a list of two or more values (or no `all`)',
        place: all.range,
      });
    }
    return findings;
  },
};
