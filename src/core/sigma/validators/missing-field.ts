/** A document without a field the specification requires: `title`; `detection` for rules; `correlation` parts. */
import type { DocumentValidator, Finding } from './validator.ts';

export const missingField: DocumentValidator = {
  id: 'sigma/missing-field',
  severity: 'error',
  check(document, context) {
    const findings: Finding[] = [];
    // In a detection document the title lives in the frontmatter.
    if (!('title' in document.raw) && !context.frontmatter) {
      findings.push({ message: 'Unexpected document without `title`, expected a `title`', place: document.range });
    }
    if (document.type === 'rule' && !('detection' in document.raw)) {
      findings.push({
        message:
          'Unexpected rule without `detection`, expected a `detection` with search identifiers and a `condition`',
        place: document.ranges.key('title') ?? document.range,
      });
    }
    return findings;
  },
};
