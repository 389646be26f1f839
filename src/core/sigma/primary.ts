/**
 * Which Sigma document of a detection is the detection itself. A block may hold
 * a correlation and its base rules: the detection is the outermost correlation
 * (one no other correlation refers to), else the first rule.
 */
import type { SigmaDocument } from './model.ts';

/** The document that carries the detection's metadata when merged. */
export function primarySigmaDocument(documents: readonly SigmaDocument[]): SigmaDocument | undefined {
  const correlations = documents.filter((d) => d.type === 'correlation');
  if (correlations.length === 0) return documents.find((d) => d.type === 'rule') ?? documents[0];
  const referenced = new Set(correlations.flatMap((c) => c.rules));
  const outermost = correlations.filter(
    (c) => !referenced.has(c.name ?? '\u0000') && !referenced.has(c.id ?? '\u0000'),
  );
  return outermost.at(-1) ?? correlations.at(-1);
}
