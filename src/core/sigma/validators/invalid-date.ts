/** `date` or `modified` that is not a real `YYYY-MM-DD` date, or `modified` before `date`. */
import type { DocumentValidator, Finding } from './validator.ts';

/** Whether `text` is a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(text + 'T00:00:00Z');
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

export const invalidDate: DocumentValidator = {
  id: 'sigma/invalid-date',
  severity: 'error',
  check(document) {
    const findings: Finding[] = [];
    for (const key of ['date', 'modified'] as const) {
      const value = document.raw[key];
      if (value === undefined || value === null) continue;
      const text = String(value);
      if (isIsoDate(text)) continue;
      const slashed = /^(\d{4})\/(\d{2})\/(\d{2})$/.exec(text);
      findings.push({
        message: `Unexpected ${key} \`${text}\`, expected a date as \`YYYY-MM-DD\``,
        place: document.ranges.value(key),
        ...(slashed ? { expected: [`${slashed[1]}-${slashed[2]}-${slashed[3]}`] } : {}),
      });
    }
    const date = document.raw['date'];
    const modified = document.raw['modified'];
    if (
      typeof date === 'string' &&
      typeof modified === 'string' &&
      isIsoDate(date) &&
      isIsoDate(modified) &&
      modified < date
    ) {
      findings.push({
        message: `Unexpected modified \`${modified}\` before date \`${date}\`, expected a modification on or after creation`,
        place: document.ranges.value('modified'),
        severity: 'warning',
      });
    }
    return findings;
  },
};
