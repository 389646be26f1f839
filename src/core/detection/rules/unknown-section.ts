import { code, diagnostic } from '../../diagnostics.ts';
import { suggest } from '../../text/suggest.ts';
import { KNOWN_HEADINGS } from '../sections.ts';
import type { DocumentRule } from './rule.ts';

/** A section heading that names no ADS section (often a typo). */
export const unknownSection: DocumentRule = {
  id: 'ads/unknown-section',
  description: 'A section heading names no ADS section.',
  check(detection) {
    return detection.sections
      .filter((s) => s.key === null)
      .map((s) => {
        const near = suggest(s.heading, KNOWN_HEADINGS);
        return diagnostic(
          'ads/unknown-section',
          'warning',
          `Unexpected section ${code(s.heading)}, expected ${near.length ? near.map(code).join(' or ') : 'an ADS section (Goal, Categorization, Strategy Abstract, …)'}`,
          { place: s.headingRange, expected: near },
        );
      });
  },
};
