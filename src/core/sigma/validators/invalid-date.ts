/** `date` or `modified` that is not a real `YYYY-MM-DD` date, or `modified` before `date`. */
import type { DocumentValidator, Finding } from './validator.ts';

/** Whether `text` is a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(text: string): boolean {
  if (text.length !== 10 || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(5, 7));
  const day = Number(text.slice(8, 10));
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
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
