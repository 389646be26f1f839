/** A `level` outside the specification's list. */
import { suggest } from '../../text/suggest.ts';
import type { DocumentValidator } from './validator.ts';

/** Rule levels of Sigma v2. */
export const SIGMA_LEVELS: readonly string[] = ['informational', 'low', 'medium', 'high', 'critical'];

export const invalidLevel: DocumentValidator = {
  id: 'sigma/invalid-level',
  severity: 'error',
  check(document) {
    const level = document.raw['level'];
    if (level === undefined || level === null || SIGMA_LEVELS.includes(String(level))) return [];
    const near = suggest(String(level), SIGMA_LEVELS);
    return [
      {
        message: `Unexpected level \`${String(level)}\`, expected ${(near.length ? near : SIGMA_LEVELS).map((s) => '`' + s + '`').join(near.length ? ' or ' : ', ')}`,
        place: document.ranges.value('level'),
        expected: near,
      },
    ];
  },
};
