import { diagnostic } from '../../diagnostics.ts';
import type { DocumentRule } from './rule.ts';

/** Statuses that ship to a SIEM need portable logic: a Sigma rule. */
export const missingSigma: DocumentRule = {
  id: 'block/missing-sigma',
  description: 'A detection has no `sigma` block (an error for status test or stable).',
  check(detection) {
    const status = detection.frontmatter?.status;
    if (status === 'deprecated' || detection.blocks.some((b) => b.kind === 'sigma')) return [];
    const where =
      detection.sections.find((s) => s.key === 'technical-context') ??
      detection.sections.find((s) => s.key === 'strategy-abstract');
    const severity = status === 'test' || status === 'stable' ? 'error' : 'warning';
    return [
      diagnostic(
        'block/missing-sigma',
        severity,
        `Unexpected detection without a \`sigma\` block, expected one${severity === 'error' ? ` for status \`${status}\`` : ''}`,
        {
          place: where?.headingRange ?? { line: 1, column: 1 },
        },
      ),
    ];
  },
};
