/**
 * Build settings: the `"loom"` key of package.json, overridden by `LOOM_*`
 * environment variables (so one build can point at any catalog). Validated
 * once, here; a bad entry is reported as `package.json:line:col` diagnostics
 * naming the key and what was expected.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findNodeAtLocation, parseTree, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { z } from 'zod';
import { LineIndex, wholeFile } from '../core/text/source.ts';
import { suggest } from '../core/text/suggest.ts';

const httpUrl = (expected: string) => z.url({ protocol: /^https?$/, error: expected });

/** The `"loom"` key of package.json. Every key is optional; paths are relative to package.json's folder. */
export const loomConfigSchema = z.strictObject({
  /** Catalog folder (`LOOM_DETECTIONS`), default `detections`. */
  detections: z
    .string({ error: 'a folder path such as `detections`' })
    .trim()
    .min(1, { error: 'a folder path such as `detections`' }),
  /** ATT&CK STIX bundle for technique names (`LOOM_ATTACK_BUNDLE`); else the cache `loom attack update` fills. */
  attackBundle: z
    .string({ error: 'a path to an ATT&CK STIX bundle such as `attack/enterprise-attack.json`' })
    .min(1, { error: 'a path to an ATT&CK STIX bundle such as `attack/enterprise-attack.json`' }),
  /** Repository URL for "edit this detection" and commit links (`LOOM_REPO_URL`). */
  repoUrl: httpUrl('an http(s) repository URL such as `https://github.com/org/repo`'),
  /** Branch of the edit links (`LOOM_REPO_BRANCH`), default `main`. */
  repoBranch: z
    .string({ error: 'a branch name such as `main`' })
    .regex(/^[^\s~^:?*[\\]+$/, { error: 'a branch name such as `main`' }),
  /** Public URL of the site (`LOOM_SITE_URL`), for absolute links in the bundle and the site. */
  siteUrl: httpUrl('an http(s) URL such as `https://detections.example.org`'),
  /** Sub-path the site is served under (`LOOM_BASE`), default `/`. */
  base: z.string({ error: 'a path starting with `/`, such as `/detections/`' }).regex(/^\//, {
    error: 'a path starting with `/`, such as `/detections/`',
  }),
});

/** The `"loom"` entry as written (every key optional). */
export type LoomConfigEntry = Partial<z.infer<typeof loomConfigSchema>>;

/** Each key's environment variable, which overrides it when set and not empty. */
export const CONFIG_ENV: Record<keyof LoomConfigEntry, string> = {
  detections: 'LOOM_DETECTIONS',
  attackBundle: 'LOOM_ATTACK_BUNDLE',
  repoUrl: 'LOOM_REPO_URL',
  repoBranch: 'LOOM_REPO_BRANCH',
  siteUrl: 'LOOM_SITE_URL',
  base: 'LOOM_BASE',
};

/** What the site is built from and links to: the entry and the environment merged, with defaults. */
export interface SiteConfig {
  /** Catalog folder, default `detections`. */
  detections: string;
  /** ATT&CK STIX bundle for technique names, when configured. */
  attackBundle?: string;
  /** Repository URL for "edit this detection" links (e.g. `https://github.com/org/repo`), no trailing slash. */
  repoUrl?: string;
  /** Branch for edit links, default `main`. */
  repoBranch: string;
  /** Public URL of the site, when configured. */
  siteUrl?: string;
  /** Sub-path of the site, default `/`. */
  base: string;
}

/** A bad setting, positioned in package.json (or naming the environment variable). */
export interface ConfigProblem {
  /** `package.json`, or the environment variable's name. */
  file: string;
  line?: number;
  column?: number;
  message: string;
  ruleId: 'config/invalid-json' | 'config/invalid-value' | 'config/unknown-key';
}

/** Thrown by {@link loadConfig}: its message is the problems, one per line, ready to print. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  readonly problems: ConfigProblem[];
  constructor(problems: ConfigProblem[]) {
    super(problems.map(formatConfigProblem).join('\n'));
    this.problems = problems;
  }
}

/** `package.json:12:16: error Unexpected …, expected …  config/invalid-value`. */
export function formatConfigProblem(p: ConfigProblem): string {
  const where = p.line === undefined ? p.file : `${p.file}:${p.line}:${p.column ?? 1}`;
  return `${where}: error ${p.message}  ${p.ruleId}`;
}

/** Merges a (valid) entry and the environment, environment first, with defaults. */
export function siteConfig(env: Record<string, string | undefined>, entry: LoomConfigEntry = {}): SiteConfig {
  const pick = (key: keyof LoomConfigEntry): string | undefined => env[CONFIG_ENV[key]] || entry[key] || undefined;
  const config: SiteConfig = {
    detections: pick('detections') ?? 'detections',
    repoBranch: pick('repoBranch') ?? 'main',
    base: pick('base') ?? '/',
  };
  const attackBundle = pick('attackBundle');
  const repoUrl = pick('repoUrl');
  const siteUrl = pick('siteUrl');
  if (attackBundle) config.attackBundle = attackBundle;
  if (repoUrl) config.repoUrl = repoUrl.replace(/\/+$/, '');
  if (siteUrl) config.siteUrl = siteUrl;
  return config;
}

const shown = (value: unknown): string => {
  if (value === '') return 'empty string';
  if (typeof value === 'string') return `\`${value.length > 60 ? value.slice(0, 57) + '…' : value}\``;
  if (value === null) return '`null`';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  return `\`${String(value)}\``;
};

/**
 * Validates the `"loom"` value of a package.json (given as text, for
 * positions). Returns the entry and the problems; the entry holds only the
 * valid keys.
 */
export function parseConfigEntry(
  text: string,
  file = 'package.json',
): { entry: LoomConfigEntry; problems: ConfigProblem[] } {
  const lines = new LineIndex(wholeFile(text));
  const position = (offset: number): { line: number; column: number } => {
    const { line, column } = lines.point(offset);
    return { line, column };
  };
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length || !tree) {
    const offset = errors[0]?.offset ?? 0;
    const found = offset < text.length ? `\`${text[offset]}\`` : 'end of file';
    return {
      entry: {},
      problems: [
        {
          file,
          ...position(offset),
          message: `Unexpected ${found}, expected valid JSON`,
          ruleId: 'config/invalid-json',
        },
      ],
    };
  }
  const node = findNodeAtLocation(tree, ['loom']);
  if (!node) return { entry: {}, problems: [] };
  const value: unknown = JSON.parse(text.slice(node.offset, node.offset + node.length));
  const at = (n: JsonNode | undefined) => position((n ?? node).offset);
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return {
      entry: {},
      problems: [
        {
          file,
          ...at(node),
          message: `Unexpected ${shown(value)} in \`loom\`, expected an object of settings (${keyList()})`,
          ruleId: 'config/invalid-value',
        },
      ],
    };
  const problems: ConfigProblem[] = [];
  const entry: Record<string, unknown> = {};
  const record = value as Record<string, unknown>;
  for (const [key, v] of Object.entries(record)) {
    const keyNode = findNodeAtLocation(node, [key])?.parent?.children?.[0];
    if (!(key in CONFIG_ENV)) {
      const near = suggest(key, Object.keys(CONFIG_ENV));
      problems.push({
        file,
        ...at(keyNode),
        message: `Unexpected key \`loom.${key}\`, expected ${near.length ? near.map((n) => `\`${n}\``).join(' or ') : `one of ${keyList()}`}`,
        ruleId: 'config/unknown-key',
      });
      continue;
    }
    const result = loomConfigSchema.shape[key as keyof LoomConfigEntry].safeParse(v);
    if (result.success) entry[key] = result.data;
    else
      problems.push({
        file,
        ...at(findNodeAtLocation(node, [key])),
        message: `Unexpected ${shown(v)} in \`loom.${key}\`, expected ${result.error.issues[0]!.message}`,
        ruleId: 'config/invalid-value',
      });
  }
  return { entry: entry as LoomConfigEntry, problems };
}

function keyList(): string {
  return Object.keys(CONFIG_ENV)
    .map((k) => `\`${k}\``)
    .join(', ');
}

/** Validates the `LOOM_*` variables that are set (an empty one counts as unset). */
export function envProblems(env: Record<string, string | undefined>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const [key, name] of Object.entries(CONFIG_ENV) as [keyof LoomConfigEntry, string][]) {
    const value = env[name];
    if (!value) continue;
    const result = loomConfigSchema.shape[key].safeParse(value);
    if (!result.success)
      problems.push({
        file: name,
        message: `Unexpected ${shown(value)} in \`${name}\`, expected ${result.error.issues[0]!.message}`,
        ruleId: 'config/invalid-value',
      });
  }
  return problems;
}

/**
 * The settings of the repository at `cwd`: its package.json `"loom"` key (when
 * there is a package.json), overridden by the environment. Throws a
 * {@link ConfigError} listing every problem.
 */
export function loadConfig(cwd: string, env: Record<string, string | undefined>): SiteConfig {
  const file = join(cwd, 'package.json');
  let entry: LoomConfigEntry = {};
  const problems: ConfigProblem[] = [];
  if (existsSync(file)) {
    const parsed = parseConfigEntry(readFileSync(file, 'utf8'));
    entry = parsed.entry;
    problems.push(...parsed.problems);
  }
  problems.push(...envProblems(env));
  if (problems.length) throw new ConfigError(problems);
  return siteConfig(env, entry);
}

/** The "edit this detection" URL, GitHub/GitLab style; undefined without a repository URL. */
export function editUrl(config: SiteConfig, path: string): string | undefined {
  if (!config.repoUrl) return undefined;
  const clean = path.replace(/\\/g, '/').replace(/^\.\//, '');
  return `${config.repoUrl}/edit/${encodeURIComponent(config.repoBranch)}/${clean.split('/').map(encodeURIComponent).join('/')}`;
}

/** A commit's URL on the repository's site (GitHub and GitLab both serve `/commit/<hash>`). */
export function commitUrl(config: SiteConfig, commit: string): string | undefined {
  return config.repoUrl ? `${config.repoUrl}/commit/${encodeURIComponent(commit)}` : undefined;
}
