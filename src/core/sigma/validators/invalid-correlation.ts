/**
 * A correlation rule that cannot be evaluated: no rules, a timespan not
 * written `<number><s|m|h|d>`, a condition without a comparison, a
 * `value_*` type without `field`, a type other than the temporal ones
 * without `group-by` or `condition`.
 */
import { parseTimespan } from '../parse.ts';
import type { DocumentValidator, Finding } from './validator.ts';

const COMPARISONS = ['gt', 'gte', 'lt', 'lte', 'eq', 'neq'];

export const invalidCorrelation: DocumentValidator = {
  id: 'sigma/invalid-correlation',
  severity: 'error',
  check(document) {
    if (document.type !== 'correlation') return [];
    const findings: Finding[] = [];
    const body = document.raw['correlation'] as Record<string, unknown>;
    const at = (path: string) => document.ranges.value(`correlation.${path}`) ?? document.ranges.key('correlation');
    if (document.rules.length === 0) {
      findings.push({
        message: 'Unexpected correlation without `rules`, expected the ids or names of the rules it correlates',
        place: at('rules'),
      });
    }
    if (!('timespan' in body)) {
      findings.push({
        message: 'Unexpected correlation without `timespan`, expected a time window such as `5m`',
        place: document.ranges.key('correlation'),
      });
    } else if (parseTimespan(document.timespan) === undefined) {
      findings.push({
        message: `Unexpected timespan \`${document.timespan}\`, expected a number and a unit (\`30s\`, \`5m\`, \`1h\`, \`7d\`)`,
        place: at('timespan'),
      });
    }
    const temporal = document.correlationType === 'temporal' || document.correlationType === 'temporal_ordered';
    const condition = body['condition'];
    if (condition === undefined || condition === null) {
      if (!temporal)
        findings.push({
          message: `Unexpected ${document.correlationType} correlation without \`condition\`, expected a threshold such as \`gte: 10\``,
          place: document.ranges.key('correlation'),
        });
    } else if (typeof condition !== 'object' || Array.isArray(condition)) {
      findings.push({
        message: 'Unexpected `condition`, expected a map of thresholds such as `gte: 10`',
        place: at('condition'),
      });
    } else {
      const keys = Object.keys(condition);
      for (const key of keys) {
        if (key === 'field' || key === 'percentile' || COMPARISONS.includes(key)) {
          const value = (condition as Record<string, unknown>)[key];
          if (COMPARISONS.includes(key) && typeof value !== 'number') {
            findings.push({
              message: `Unexpected ${typeof value} for \`${key}\`, expected a number`,
              place: at(`condition.${key}`),
            });
          }
          continue;
        }
        findings.push({
          message: `Unexpected condition key \`${key}\`, expected one of ${COMPARISONS.map((c) => '`' + c + '`').join(', ')} or \`field\``,
          place: document.ranges.key(`correlation.condition.${key}`),
        });
      }
      if (!keys.some((k) => COMPARISONS.includes(k))) {
        findings.push({
          message: 'Unexpected `condition` without a comparison, expected one of `gt`, `gte`, `lt`, `lte`, `eq`',
          place: at('condition'),
        });
      }
    }
    if (document.correlationType.startsWith('value_') && !document.condition.field) {
      findings.push({
        message: `Unexpected ${document.correlationType} correlation without \`condition.field\`, expected the field whose values it aggregates`,
        place: at('condition'),
      });
    }
    if (!temporal && document.groupBy.length === 0 && !('group-by' in body)) {
      findings.push({
        message: `Unexpected ${document.correlationType} correlation without \`group-by\`, expected the fields that scope the count`,
        place: document.ranges.key('correlation'),
        severity: 'warning',
      });
    }
    for (const alias of Object.keys(document.aliases)) {
      if (!document.groupBy.includes(alias)) {
        findings.push({
          message: `Unexpected alias \`${alias}\` that \`group-by\` does not use, expected it in \`group-by\``,
          place: document.ranges.key(`correlation.aliases.${alias}`),
          severity: 'warning',
        });
      }
    }
    return findings;
  },
};
