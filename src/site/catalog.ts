/**
 * The site's one load of the catalog: every page reads these objects, parsed
 * once per build by the same pipeline as `loom check` and `loom bundle`.
 */
import { resolve } from 'node:path';
import { loadCatalog } from '../catalog/load.ts';
import { runDetectionTests, type DetectionTestResult } from '../core/sigma/evaluate/run-tests.ts';
import { readAttackNames } from './attack-file.ts';
import { commitUrl, editUrl, loadConfig, type SiteConfig } from './config.ts';
import type { AttackNames } from './attack.ts';
import { readGitHistory } from './git-history.ts';
import { getHighlighter, highlight, useHighlighted } from './highlight.ts';
import { preloadedCatalog } from './preload.ts';
import {
  attackMatrix,
  dataSourceIndex,
  pageHistory,
  detectionPage,
  facets,
  indexRows,
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
  // `loom build` hands over the catalog it parsed (and its sample results).
  const given = preloadedCatalog();
  const cwd = given?.cwd ?? process.cwd();
  const config = given?.config ?? loadConfig(cwd, env);
  const catalog = given?.catalog ?? loadCatalog([config.detections], { cwd });
  if (given?.highlighted) useHighlighted(await given.highlighted);
  const hl = await getHighlighter();
  const errorsByFile = new Map<string, string[]>();
  const errors: string[] = [];
  for (const d of catalog.diagnostics) {
    if (d.severity !== 'error') continue;
    const line = `${d.file ?? ''}:${d.place?.start.line ?? 0}:${d.place?.start.column ?? 0} ${d.message}`;
    errors.push(line);
    if (d.file) errorsByFile.set(d.file, [...(errorsByFile.get(d.file) ?? []), line]);
  }
  const attackNames = readAttackNames(config, cwd, env, (message) => console.warn(message));
  const history = readGitHistory(resolve(cwd, config.detections));
  const rows = indexRows(catalog.detections);
  const pages: DetectionPage[] = [];
  for (const detection of catalog.detections) {
    let tests: DetectionTestResult | undefined;
    try {
      tests = given ? given.tests(detection) : runDetectionTests(detection, { requireSamplesFor: [] });
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
      ...(given?.mergedYaml ? { mergedYaml: given.mergedYaml(detection) } : {}),
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
