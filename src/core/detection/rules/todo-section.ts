import { diagnostic } from '../../diagnostics.ts';
import { SECTION_TITLES } from '../sections.ts';
import type { DocumentRule } from './rule.ts';

/** A known section with no content, or only a to-do line. */
export const todoSection: DocumentRule = {
  id: 'ads/todo-section',
  description: 'An ADS section is empty or still holds only its to-do guidance.',
  check(detection) {
    return detection.sections
      .filter((s) => s.key !== null && s.todo)
      .map((s) =>
        diagnostic(
          'ads/todo-section',
          'warning',
          `Unexpected empty or to-do section \`${SECTION_TITLES[s.key!]}\`, expected its content`,
          {
            place: s.headingRange,
          },
        ),
      );
  },
};
