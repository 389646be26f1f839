/**
 * Finds the files of a catalog: detection documents (`.md`) and, where asked,
 * plain Sigma rules (`.yml`, `.yaml`), in a stable order.
 */
import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';

/** A file to load, with the path to show the user. */
export interface CatalogFile {
  /** Absolute path. */
  absolute: string;
  /** Path as the user gave it (joined with the walked part). */
  display: string;
  kind: 'detection' | 'sigma';
}

/** A path the user gave that does not exist. */
export interface MissingPath {
  path: string;
}

/** Repository documents that sit among rules (a SigmaHQ checkout has them in every folder). */
const NOT_DETECTIONS = /^(readme|changelog|contributing|license|code_of_conduct|security)(\.[a-z]+)?$/i;

const SKIP_DIRS = new Set(['node_modules', 'dist', '.git', '.astro']);

/** Expands files and folders into catalog files; folders are walked recursively. */
export function collectFiles(
  paths: readonly string[],
  cwd: string,
  options: { sigma: boolean },
): { files: CatalogFile[]; missing: MissingPath[] } {
  const files: CatalogFile[] = [];
  const missing: MissingPath[] = [];
  const seen = new Set<string>();
  const add = (absolute: string, display: string, explicit: boolean) => {
    const kind = kindOf(absolute, options.sigma || explicit);
    if (!kind || seen.has(absolute)) return;
    seen.add(absolute);
    files.push({ absolute, display, kind });
  };
  for (const given of paths) {
    const absolute = resolve(cwd, given);
    let stats;
    try {
      stats = statSync(absolute);
    } catch {
      missing.push({ path: given });
      continue;
    }
    if (stats.isDirectory()) {
      for (const file of walk(absolute)) add(file, displayPath(given, absolute, file), false);
    } else add(absolute, given, true);
  }
  return { files, missing };
}

function kindOf(path: string, sigma: boolean): CatalogFile['kind'] | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.md') || lower.endsWith('.markdown')) return 'detection';
  if (sigma && (lower.endsWith('.yml') || lower.endsWith('.yaml'))) return 'sigma';
  return undefined;
}

function* walk(dir: string): Generator<string> {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const entry of entries) {
    if (entry.name.startsWith('.') || SKIP_DIRS.has(entry.name)) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile() && !NOT_DETECTIONS.test(entry.name)) yield full;
  }
}

function displayPath(given: string, base: string, file: string): string {
  const rest = relative(base, file);
  if (given === '.' || given === './') return rest;
  return isAbsolute(given) ? file : join(given, rest);
}
