import { diagnostic } from '../../diagnostics.ts';
import { SECTION_TITLES } from '../sections.ts';
import type { DocumentRule } from './rule.ts';

/** The same ADS section twice: readers and the merged rule would see only one. */
export const duplicateSection: DocumentRule = {
  id: 'ads/duplicate-section',
  description: 'An ADS section appears more than once.',
  check(detection) {
    const first = new Map<string, (typeof detection.sections)[number]>();
    const out = [];
    for (const s of detection.sections) {
      if (s.key === null) continue;
      const seen = first.get(s.key);
      if (!seen) {
        first.set(s.key, s);
        continue;
      }
      out.push(
        diagnostic(
          'ads/duplicate-section',
          'warning',
          `Unexpected second \`${SECTION_TITLES[s.key]}\` section, expected each section once`,
          {
            place: s.headingRange,
            related: [{ message: 'first defined here', place: seen.headingRange }],
          },
        ),
      );
    }
    return out;
  },
};
