/**
 * The site's one load of the catalog: every page reads these objects, parsed
 * once per build by the same pipeline as `loom check` and `loom bundle`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadCatalog } from '../catalog/load.ts';
import { runDetectionTests, type DetectionTestResult } from '../core/sigma/evaluate/run-tests.ts';
import { attackBundlePath, commitUrl, ConfigError, editUrl, loadConfig, type SiteConfig } from './config.ts';
import { readGitHistory } from './git-history.ts';
import { getHighlighter, highlight } from './highlight.ts';
import { stixBundleProblem } from './attack.ts';
import {
  attackMatrix,
  attackNamesFromStix,
  dataSourceIndex,
  pageHistory,
  detectionPage,
  facets,
  indexRows,
  type AttackNames,
  type DetectionPage,
  type DetectionRow,
  type Facet,
  type MatrixColumn,
} from './pages.ts';

/** Everything the pages need. */
export interface SiteData {
  config: SiteConfig;
  rows: DetectionRow[];
  facets: Facet[];
  pages: DetectionPage[];
  matrix: MatrixColumn[];
  dataSources: { name: string; rows: DetectionRow[] }[];
  attackNames?: AttackNames;
  /** Error diagnostics of the catalog, as `path:line:col message`. */
  errors: string[];
}

let data: Promise<SiteData> | undefined;

/** Loads (once) the catalog named by the environment. */
export function siteData(env: Record<string, string | undefined> = process.env): Promise<SiteData> {
  data ??= load(env);
  return data;
}

async function load(env: Record<string, string | undefined>): Promise<SiteData> {
  const cwd = process.cwd();
  const config = loadConfig(cwd, env);
  const catalog = loadCatalog([config.detections], { cwd });
  const hl = await getHighlighter();
  const errorsByFile = new Map<string, string[]>();
  const errors: string[] = [];
  for (const d of catalog.diagnostics) {
    if (d.severity !== 'error') continue;
    const line = `${d.file ?? ''}:${d.place?.start.line ?? 0}:${d.place?.start.column ?? 0} ${d.message}`;
    errors.push(line);
    if (d.file) errorsByFile.set(d.file, [...(errorsByFile.get(d.file) ?? []), line]);
  }
  const attackNames = readAttackNames(config, cwd, env);
  const history = readGitHistory(resolve(cwd, config.detections));
  const rows = indexRows(catalog.detections);
  const pages: DetectionPage[] = [];
  for (const detection of catalog.detections) {
    let tests: DetectionTestResult | undefined;
    try {
      tests = runDetectionTests(detection, { requireSamplesFor: [] });
    } catch {
      tests = undefined;
    }
    const url = editUrl(config, detection.path);
    const fileHistory = history.get(resolve(cwd, detection.path));
    const page = detectionPage(detection, {
      highlight: (code, lang) => highlight(hl, code, lang),
      ...(tests ? { tests } : {}),
      ...(url ? { editUrl: url } : {}),
      errors: errorsByFile.get(detection.path) ?? [],
      ...(fileHistory ? { history: pageHistory(fileHistory, (c) => commitUrl(config, c)) } : {}),
    });
    if (page) pages.push(page);
  }
  pages.sort((a, b) => a.row.slug.localeCompare(b.row.slug, 'en'));
  const result: SiteData = {
    config,
    rows,
    facets: facets(rows, attackNames),
    pages,
    matrix: attackMatrix(rows, attackNames),
    dataSources: dataSourceIndex(rows),
    errors,
  };
  if (attackNames) result.attackNames = attackNames;
  return result;
}

/**
 * ATT&CK names from the configured bundle (a bad one is a configuration error)
 * or from the cache `loom attack update` fills (a bad cache is ignored).
 */
function readAttackNames(
  config: SiteConfig,
  cwd: string,
  env: Record<string, string | undefined>,
): AttackNames | undefined {
  const source = attackBundlePath(config, cwd);
  if (!source) return undefined;
  let problem: string | undefined;
  try {
    const bundle: unknown = JSON.parse(readFileSync(source.path, 'utf8'));
    problem = stixBundleProblem(bundle);
    if (!problem) return attackNamesFromStix(bundle);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    problem = e.code === 'ENOENT' ? 'no such file' : e instanceof SyntaxError ? `not JSON (${e.message})` : e.message;
  }
  if (source.cached) {
    console.warn(`loom: ignoring the ATT&CK cache ${source.path}: ${problem}; run \`loom attack update\` again`);
    return undefined;
  }
  const key = env['LOOM_ATTACK_BUNDLE'] ? 'LOOM_ATTACK_BUNDLE' : 'loom.attackBundle';
  throw new ConfigError([
    {
      file: key === 'LOOM_ATTACK_BUNDLE' ? key : 'package.json',
      message: `Unexpected file \`${config.attackBundle}\` in \`${key}\` (${problem}), expected an ATT&CK STIX bundle such as MITRE's enterprise-attack.json`,
      ruleId: 'config/invalid-value',
    },
  ]);
}
