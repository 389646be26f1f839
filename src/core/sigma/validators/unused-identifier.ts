/** A search identifier that no condition uses: dead logic, or a condition that forgot it. */
import { conditionReferences, matchesPattern } from '../condition.ts';
import type { DocumentValidator, Finding } from './validator.ts';
import { detectionOf } from './walk.ts';

export const unusedIdentifier: DocumentValidator = {
  id: 'sigma/unused-identifier',
  severity: 'warning',
  check(document) {
    const detection = detectionOf(document);
    if (!detection) return [];
    const conditions = detection.conditions ?? [];
    // A condition that does not parse says nothing about use; do not pile warnings on its error.
    if (conditions.length === 0 || conditions.some((c) => !c.node)) return [];
    const refs = conditions.flatMap((c) => conditionReferences(c.node!));
    const findings: Finding[] = [];
    for (const search of detection.searches) {
      const used = refs.some((ref) => {
        if (ref.type === 'identifier') return ref.name === search.name;
        if (ref.type !== 'quantified') return false;
        return ref.target.type === 'them'
          ? !search.name.startsWith('_')
          : matchesPattern(search.name, ref.target.pattern);
      });
      if (used) continue;
      findings.push({
        message: `Unexpected unused search identifier \`${search.name}\`, expected the condition to use it`,
        place: search.range,
      });
    }
    return findings;
  },
};
