/** Which detection statuses the bundle ships. */
import type { STATUSES } from '../detection/frontmatter-fields.ts';

/** A detection status. */
export type Status = (typeof STATUSES)[number];

/**
 * Statuses shipped by default. `experimental` is left out: it is not meant for
 * deployment. `deprecated` ships, marked, so the sync job can remove the rule.
 */
export const DEFAULT_STATUSES: readonly Status[] = ['test', 'stable', 'deprecated'];
