/** The merged Sigma rules of a detection, as JSON values and as YAML. */
import type { Detection } from '../detection/model.ts';
import { toSigmaRule, writeSigmaYaml } from '../sigma/merge.ts';

/** Turns YAML values (dates) into plain JSON values. */
function toJson(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (Array.isArray(value)) return value.map(toJson);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJson(v);
    return out;
  }
  return value;
}

/**
 * The merged rule (frontmatter and prose metadata merged into the block's
 * first document by `toSigmaRule`), then the block's further documents as
 * written (the rules and correlations of a multi-document block).
 */
export function mergedSigma(detection: Detection): Record<string, unknown>[] {
  const first = toSigmaRule(detection);
  if (!first) return [];
  const rest = detection.sigma.slice(1).map((d) => d.raw as Record<string, unknown>);
  return [first, ...rest].map((r) => toJson(r) as Record<string, unknown>);
}

/** The YAML of a detection's merged rules (`---` between documents). */
export function sigmaYaml(rules: Record<string, unknown>[]): string {
  return writeSigmaYaml(rules);
}
