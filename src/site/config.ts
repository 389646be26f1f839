/** Site settings, from the environment (so one build can point at any catalog). */

/** What the site is built from and links to. */
export interface SiteConfig {
  /** Catalog folder: `LOOM_DETECTIONS`, default `detections`. */
  detections: string;
  /** ATT&CK STIX bundle for technique names: `LOOM_ATTACK_BUNDLE`, optional. */
  attackBundle?: string;
  /** Repository URL for "edit this detection" links: `LOOM_REPO_URL` (e.g. `https://github.com/org/repo`). */
  repoUrl?: string;
  /** Branch for edit links: `LOOM_REPO_BRANCH`, default `main`. */
  repoBranch: string;
}

/** Reads the config from an environment. */
export function siteConfig(env: Record<string, string | undefined>): SiteConfig {
  const config: SiteConfig = {
    detections: env['LOOM_DETECTIONS'] || 'detections',
    repoBranch: env['LOOM_REPO_BRANCH'] || 'main',
  };
  if (env['LOOM_ATTACK_BUNDLE']) config.attackBundle = env['LOOM_ATTACK_BUNDLE'];
  if (env['LOOM_REPO_URL']) config.repoUrl = env['LOOM_REPO_URL'].replace(/\/+$/, '');
  return config;
}

/** The "edit this detection" URL, GitHub/GitLab style; undefined without a repository URL. */
export function editUrl(config: SiteConfig, path: string): string | undefined {
  if (!config.repoUrl) return undefined;
  const clean = path.replace(/\\/g, '/').replace(/^\.\//, '');
  return `${config.repoUrl}/edit/${encodeURIComponent(config.repoBranch)}/${clean.split('/').map(encodeURIComponent).join('/')}`;
}
