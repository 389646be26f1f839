/** Shared by the import tests: the round trip of one rule through an imported document. */
import { parse } from '../../helpers/documents.ts';
import { importSigmaRule, normaliseDate, type ImportOptions } from '../../../src/core/sigma/import.ts';
import { toSigmaRule } from '../../../src/core/sigma/merge.ts';

const norm = (v: unknown): string => (typeof v === 'string' ? v.replace(/\s+/g, ' ').trim() : JSON.stringify(v));

/** Differences between `original` and the rule merged back from its imported document (empty when none). */
export function roundTripProblems(original: Record<string, unknown>, options: ImportOptions): string[] {
  const imported = importSigmaRule(original, options);
  const { detection } = parse(imported.text, imported.path);
  const errors = detection.diagnostics.filter((d) => d.severity === 'error');
  const problems = errors.map((d) => `error ${d.ruleId}: ${d.message}`);
  const merged = toSigmaRule(detection);
  if (!merged) return [...problems, 'no merged rule'];
  for (const [key, value] of Object.entries(original)) {
    const got = merged[key];
    if (key === 'tags') {
      const want = new Set((value as string[]).map((t) => t.toLowerCase()));
      const have = new Set(((got as string[]) ?? []).map((t) => t.toLowerCase()));
      for (const t of want) if (!have.has(t)) problems.push(`tag ${t} lost`);
      for (const t of have) if (!want.has(t)) problems.push(`tag ${t} added`);
    } else if (key === 'date' || key === 'modified') {
      if (normaliseDate(String(value)) !== got) problems.push(`${key}: ${norm(value)} != ${norm(got)}`);
    } else if (key === 'falsepositives') {
      const want = (value as unknown[]).map(norm).filter((f) => f.length >= 2);
      if (norm(want) !== norm(((got as unknown[]) ?? []).map(norm)))
        problems.push(`falsepositives: ${norm(want)} != ${norm(got)}`);
    } else if (typeof value === 'string') {
      if (norm(value) !== norm(got)) problems.push(`${key}: ${norm(value)} != ${norm(got)}`);
    } else if (JSON.stringify(value) !== JSON.stringify(got)) {
      problems.push(`${key}: ${JSON.stringify(value)} != ${JSON.stringify(got)}`);
    }
  }
  return problems;
}
