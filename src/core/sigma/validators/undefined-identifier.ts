/** A condition names a search identifier that the detection does not define (or a pattern that matches none). */
import { suggest } from '../../text/suggest.ts';
import { conditionReferences, matchesPattern } from '../condition.ts';
import type { DocumentValidator, Finding } from './validator.ts';
import { detectionOf } from './walk.ts';

export const undefinedIdentifier: DocumentValidator = {
  id: 'sigma/undefined-identifier',
  severity: 'error',
  check(document) {
    const detection = detectionOf(document);
    if (!detection) return [];
    const names = detection.searches.map((s) => s.name);
    const defined = new Set(names);
    const findings: Finding[] = [];
    for (const condition of detection.conditions ?? []) {
      if (!condition.node) continue;
      for (const ref of conditionReferences(condition.node)) {
        if (ref.type === 'identifier') {
          if (defined.has(ref.name)) continue;
          const near = suggest(ref.name, names);
          findings.push({
            message: `Unexpected undefined search identifier \`${ref.name}\`, expected ${near.length ? near.map((n) => '`' + n + '`').join(' or ') : 'one of ' + (names.length ? names.map((n) => '`' + n + '`').join(', ') : 'the search identifiers (none is defined)')}`,
            place: ref.range,
            expected: near,
          });
        } else if (ref.type === 'quantified') {
          const target = ref.target;
          const matched =
            target.type === 'them'
              ? names.some((n) => !n.startsWith('_'))
              : names.some((n) => matchesPattern(n, target.pattern));
          if (matched) continue;
          findings.push({
            message:
              target.type === 'them'
                ? 'Unexpected `them` with no search identifiers, expected at least one search identifier'
                : `Unexpected pattern \`${target.pattern}\` that matches no search identifier, expected a pattern matching one of ${names.map((n) => '`' + n + '`').join(', ') || '(none defined)'}`,
            place: ref.range,
          });
        }
      }
    }
    return findings;
  },
};
