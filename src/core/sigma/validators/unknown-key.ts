/**
 * A top-level key that is almost a Sigma key (`falsepositive`, `referenes`):
 * custom keys are allowed, typos of known ones are lost metadata.
 */
import { suggest } from '../../text/suggest.ts';
import type { DocumentValidator, Finding } from './validator.ts';

/** Top-level keys the specification defines for rules, correlations and filters. */
export const SIGMA_KEYS: readonly string[] = [
  'title',
  'id',
  'name',
  'related',
  'taxonomy',
  'status',
  'description',
  'license',
  'references',
  'author',
  'date',
  'modified',
  'logsource',
  'detection',
  'fields',
  'falsepositives',
  'level',
  'tags',
  'scope',
  'correlation',
  'filter',
  'generate',
];

/** Suggestions by key: the same custom keys (`simulation`, `regression_tests_path`) recur in every rule. */
const nearKeys = new Map<string, readonly string[]>();

export const unknownKey: DocumentValidator = {
  id: 'sigma/unknown-key',
  severity: 'warning',
  check(document) {
    const findings: Finding[] = [];
    for (const key of Object.keys(document.raw)) {
      if (SIGMA_KEYS.includes(key)) continue;
      let candidates = nearKeys.get(key);
      if (!candidates) nearKeys.set(key, (candidates = suggest(key, SIGMA_KEYS)));
      const near = candidates.filter((k) => !(k in document.raw));
      if (near.length === 0) continue;
      findings.push({
        message: `Unexpected key \`${key}\`, expected ${near.map((n) => '`' + n + '`').join(' or ')}`,
        place: document.ranges.key(key),
        expected: near,
      });
    }
    return findings;
  },
};
