/** Small argv helpers shared by commands. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './io.ts';

/** Checks that `value` is one of `allowed`, else a usage error naming them. */
export function oneOf<T extends string>(
  option: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(
    `Unexpected ${option} \`${value}\`, expected one of ${allowed.map((a) => `\`${a}\``).join(', ')}`,
  );
}

/** Parses a non-negative integer option. */
export function integer(option: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^-?\d+$/.test(value)) throw new UsageError(`Unexpected ${option} \`${value}\`, expected a whole number`);
  return Number(value);
}

/** Whether to colour output: a terminal, and no NO_COLOR / FORCE_COLOR=0. */
export function useColor(isTTY: boolean, env: Record<string, string | undefined>): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['FORCE_COLOR'] !== undefined) return env['FORCE_COLOR'] !== '0';
  return isTTY;
}

/**
 * The catalog folder when a command gets no path: `LOOM_DETECTIONS`, else the
 * `detections` key of package.json's "loom" entry, else `detections`. A cheap
 * read for `loom check` (it does not load the config schema: `loom build`,
 * `loom bundle` and `loom test` validate the entry and report its problems).
 */
export function defaultCatalogPath(cwd: string, env: Record<string, string | undefined>): string {
  if (env['LOOM_DETECTIONS']) return env['LOOM_DETECTIONS'];
  try {
    const entry = (JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')) as { loom?: { detections?: unknown } })
      .loom;
    if (typeof entry?.detections === 'string' && entry.detections) return entry.detections;
  } catch {
    // No package.json, or not JSON: the default.
  }
  return 'detections';
}
