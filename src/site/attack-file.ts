/**
 * The ATT&CK bundle on disk: the configured one, else the cache that
 * `loom attack update` fills, read into names for the site.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { attackNamesFromStix, stixBundleProblem, type AttackNames } from './attack.ts';
import { ConfigError, type SiteConfig } from './config.ts';

/** Where `loom attack update` keeps MITRE's bundle, relative to the repository root. */
export const ATTACK_CACHE = 'node_modules/.cache/loom/enterprise-attack.json';

/**
 * The ATT&CK bundle the site reads: the configured one, else the cache of
 * `loom attack update` when it exists; undefined means "no names, show ids".
 */
export function attackBundlePath(config: SiteConfig, cwd: string): { path: string; cached: boolean } | undefined {
  if (config.attackBundle) return { path: resolve(cwd, config.attackBundle), cached: false };
  const cache = resolve(cwd, ATTACK_CACHE);
  return existsSync(cache) ? { path: cache, cached: true } : undefined;
}

/** Reads and checks a bundle file: its names, or why it cannot be used. */
export function readStixFile(path: string): { names: AttackNames } | { problem: string } {
  try {
    const bundle: unknown = JSON.parse(readFileSync(path, 'utf8'));
    const problem = stixBundleProblem(bundle);
    return problem ? { problem } : { names: attackNamesFromStix(bundle) };
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return { problem: 'no such file' };
    if (e.code === 'EISDIR') return { problem: 'a folder, not a file' };
    return { problem: e instanceof SyntaxError ? `not JSON: ${e.message}` : e.message };
  }
}

/**
 * ATT&CK names for the site. A configured bundle that cannot be used is a
 * configuration error (thrown as {@link ConfigError}); a bad cache is only
 * warned about, and the site falls back to ids.
 */
export function readAttackNames(
  config: SiteConfig,
  cwd: string,
  env: Record<string, string | undefined>,
  warn: (message: string) => void,
): AttackNames | undefined {
  const source = attackBundlePath(config, cwd);
  if (!source) return undefined;
  const read = readStixFile(source.path);
  if ('names' in read) return read.names;
  if (source.cached) {
    warn(`loom: ignoring the ATT&CK cache ${ATTACK_CACHE} (${read.problem}); run \`loom attack update\` again`);
    return undefined;
  }
  const key = env['LOOM_ATTACK_BUNDLE'] ? 'LOOM_ATTACK_BUNDLE' : 'loom.attackBundle';
  throw new ConfigError([
    {
      file: key === 'LOOM_ATTACK_BUNDLE' ? key : 'package.json',
      message: `Unexpected file \`${config.attackBundle}\` in \`${key}\` (${read.problem}), expected an ATT&CK STIX bundle such as MITRE's enterprise-attack.json`,
      ruleId: 'config/invalid-value',
    },
  ]);
}
