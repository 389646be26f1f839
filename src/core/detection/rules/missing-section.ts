import { diagnostic } from '../../diagnostics.ts';
import { REQUIRED_SECTIONS, SECTION_KEYS, SECTION_TITLES } from '../sections.ts';
import type { DocumentRule } from './rule.ts';

/** Every ADS section should be present; those the status requires must be. */
export const missingSection: DocumentRule = {
  id: 'ads/missing-section',
  description: 'An ADS section is missing (an error when the status requires it, else a warning).',
  check(detection) {
    const present = new Set(detection.sections.map((s) => s.key));
    const status = detection.frontmatter?.status;
    const required = new Set(status ? REQUIRED_SECTIONS[status] : REQUIRED_SECTIONS.experimental);
    if (status === 'deprecated') return [];
    const end = detection.sections.at(-1)?.range.end ?? { line: 1, column: 1 };
    return SECTION_KEYS.filter((key) => !present.has(key)).map((key) =>
      diagnostic(
        'ads/missing-section',
        required.has(key) ? 'error' : 'warning',
        `Unexpected missing section \`${SECTION_TITLES[key]}\`, expected it${required.has(key) ? (status ? ` for status \`${status}\`` : ' in every detection') : ' in an ADS document'}`,
        { place: end },
      ),
    );
  },
};
