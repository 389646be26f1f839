/**
 * Where the shared corpora live, and whether tests may use them. Absent on a
 * developer's machine: tests skip with a message. Absent in CI: tests fail.
 */
import { existsSync, readdirSync, type Dirent } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `../shared` beside the repository. */
export const SHARED = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared');

/** Path of a corpus folder; `available` tells whether tests can read it. */
export function corpus(relative: string): { path: string; available: boolean } {
  const path = join(SHARED, relative);
  const available = existsSync(path);
  if (!available) {
    if (process.env['CI'])
      throw new Error(`The shared corpus ${path} is missing, and CI must run the tests that read it.`);
    console.warn(
      `Skipping tests that read ${path}: it is not there (clone ../shared beside the repository to run them).`,
    );
  }
  return { path, available };
}

/** Every file below `dir` whose name matches `name`, as paths joined to `dir`, in sorted order. */
export function filesUnder(dir: string, name: RegExp = /./): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((entry) => entry.isFile() && name.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** The YAML files of SigmaHQ's `rules*` folders (the 3,780 rules its CI accepts) under a checkout, sorted. */
export function sigmaRuleFiles(root: string): string[] {
  return readdirSync(root)
    .filter((name) => name.startsWith('rules'))
    .sort()
    .flatMap((name) => filesUnder(join(root, name), /\.ya?ml$/));
}
