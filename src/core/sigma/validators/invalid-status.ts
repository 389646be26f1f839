/** A `status` outside the specification's list. */
import { suggest } from '../../text/suggest.ts';
import type { DocumentValidator } from './validator.ts';

/** Rule statuses of Sigma v2. */
export const SIGMA_STATUSES: readonly string[] = ['stable', 'test', 'experimental', 'deprecated', 'unsupported'];

export const invalidStatus: DocumentValidator = {
  id: 'sigma/invalid-status',
  severity: 'error',
  check(document) {
    const status = document.raw['status'];
    if (status === undefined || status === null || SIGMA_STATUSES.includes(String(status))) return [];
    const near = suggest(String(status), SIGMA_STATUSES);
    return [
      {
        message: `Unexpected status \`${String(status)}\`, expected ${(near.length ? near : SIGMA_STATUSES).map((s) => '`' + s + '`').join(near.length ? ' or ' : ', ')}`,
        place: document.ranges.value('status'),
        expected: near,
      },
    ];
  },
};
