/** A condition that does not parse, including Sigma v1 aggregations (`| count() by x > 5`) and `near`. */
import type { DocumentValidator, Finding } from './validator.ts';
import { detectionOf } from './walk.ts';

export const conditionSyntax: DocumentValidator = {
  id: 'sigma/condition-syntax',
  severity: 'error',
  check(document) {
    const detection = detectionOf(document);
    if (!detection || !('detection' in document.raw || 'filter' in document.raw)) return [];
    const findings: Finding[] = [];
    if ((detection.conditions ?? []).length === 0 && detection.conditionText.length === 0) {
      const section = document.type === 'filter' ? 'filter' : 'detection';
      const body = document.raw[section];
      if (body && typeof body === 'object' && !Array.isArray(body) && !('condition' in body)) {
        findings.push({
          message: `Unexpected \`${section}\` without \`condition\`, expected a \`condition\` such as \`selection\``,
          place: detection.conditionRange ?? document.range,
        });
      }
    }
    for (const condition of detection.conditions ?? []) {
      if (!condition.error) continue;
      findings.push({
        message: condition.error.message,
        place: condition.error.range,
        ...(condition.error.expected ? { expected: condition.error.expected } : {}),
      });
    }
    return findings;
  },
};
