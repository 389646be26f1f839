/** The "loom" entry of package.json for a command, with its problems reported the same way by each. */
import { ConfigError, loadConfig, type SiteConfig } from '../site/config.ts';
import type { Io } from './io.ts';

/**
 * The configuration (package.json's "loom" entry, overridden by LOOM_*
 * variables), or undefined after printing its positioned problems and what
 * `command` therefore did not do (the command then exits 1).
 */
export function commandConfig(io: Io, command: string, consequence: string): SiteConfig | undefined {
  try {
    return loadConfig(io.cwd, io.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr(`${error.message}\nloom ${command}: the configuration has errors; ${consequence}\n`);
    return undefined;
  }
}
