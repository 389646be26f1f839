/** The merged Sigma rules of a detection, as JSON values and as YAML. */
import type { Detection } from '../detection/model.ts';
import { toSigmaRules, writeSigmaYaml } from '../sigma/merge.ts';

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
 * The merged rules in block order: the primary document (the outermost
 * correlation, else the first rule) gets the frontmatter and prose metadata
 * (`toSigmaRules`); the block's other documents (a correlation's base rules)
 * stay as written.
 */
export function mergedSigma(detection: Detection): Record<string, unknown>[] {
  return toSigmaRules(detection).map((r) => toJson(r) as Record<string, unknown>);
}

/** The YAML of a detection's merged rules (`---` between documents). */
export function sigmaYaml(rules: Record<string, unknown>[]): string {
  return writeSigmaYaml(rules);
}
