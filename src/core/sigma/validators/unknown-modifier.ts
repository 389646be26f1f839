/** `Image|endswth`: a modifier the specification does not define. */
import { suggest } from '../../text/suggest.ts';
import { MODIFIER_NAMES, modifierInfo } from '../modifiers.ts';
import type { DocumentValidator, Finding } from './validator.ts';
import { documentMatchers } from './walk.ts';

export const unknownModifier: DocumentValidator = {
  id: 'sigma/unknown-modifier',
  severity: 'error',
  check(document) {
    const findings: Finding[] = [];
    for (const matcher of documentMatchers(document)) {
      for (const modifier of matcher.modifiers) {
        if (modifierInfo(modifier.name)) continue;
        const near = suggest(modifier.name, MODIFIER_NAMES);
        findings.push({
          message:
            modifier.name === ''
              ? 'Unexpected empty modifier (`||`), expected a modifier name'
              : `Unexpected modifier \`${modifier.name}\`, expected ${near.length ? near.map((n) => '`' + n + '`').join(' or ') : 'a Sigma modifier such as `contains`, `endswith` or `re`'}`,
          place: modifier.range,
          expected: near,
        });
      }
    }
    return findings;
  },
};
