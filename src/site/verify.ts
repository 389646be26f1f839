/**
 * The build's failure check. `astro build` exits 0 even when a page fails to
 * render, so after it this script fails the build (exit 1) when the catalog
 * has errors or any expected page is missing or incomplete.
 *
 * `loom build` runs {@link verifyPages} on the catalog it parsed; after a
 * bare `astro build`, run this file:
 *
 * Usage: node src/site/verify.ts [site-dir]   (default $LOOM_OUT/site, else dist/site; catalog from LOOM_DETECTIONS)
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadCatalog, type Catalog } from '../catalog/load.ts';
import { pageSlug } from '../core/bundle/page.ts';
import { siteConfig } from './config.ts';

/** Problems with a built site; empty when it is complete. */
export function verifySite(siteDir: string, detectionsDir: string, cwd: string): string[] {
  const catalog = loadCatalog([detectionsDir], { cwd });
  const problems: string[] = [];
  if (catalog.missing.length) problems.push(`catalog folder \`${detectionsDir}\` does not exist`);
  return [...problems, ...verifyPages(siteDir, catalog)];
}

/** Problems with a site built from an already loaded catalog (what `loom build` checks). */
export function verifyPages(siteDir: string, catalog: Pick<Catalog, 'detections' | 'diagnostics'>): string[] {
  const problems: string[] = [];
  for (const d of catalog.diagnostics)
    if (d.severity === 'error')
      problems.push(
        `${d.file ?? ''}:${d.place?.start.line ?? 0}:${d.place?.start.column ?? 0}: ${d.message}  ${d.ruleId}`,
      );
  const fixed = ['index.html', 'attack/index.html', 'authoring/index.html', 'data-sources/index.html', '404.html'];
  for (const page of fixed) if (!existsSync(join(siteDir, page))) problems.push(`missing page ${page}`);
  for (const detection of catalog.detections) {
    const id = detection.frontmatter?.id;
    if (!id) {
      problems.push(`${detection.path}: no page (invalid frontmatter)`);
      continue;
    }
    const file = join(siteDir, 'detections', pageSlug(detection), 'index.html');
    if (!existsSync(file)) {
      problems.push(`${detection.path}: missing page detections/${pageSlug(detection)}/`);
      continue;
    }
    const html = readFileSync(file, 'utf8');
    if (!html.includes(`data-loom-page="${id}"`))
      problems.push(`${detection.path}: page does not render the detection`);
  }
  return problems;
}

if (import.meta.main) {
  const siteDir = resolve(process.argv[2] ?? `${process.env['LOOM_OUT'] || 'dist'}/site`);
  const config = siteConfig(process.env);
  const problems = verifySite(siteDir, config.detections, process.cwd());
  if (problems.length) {
    process.stderr.write(
      `loom site check: ${problems.length} problem(s); the build fails\n${problems.map((p) => `  ${p}\n`).join('')}`,
    );
    process.exit(1);
  }
  process.stdout.write(`loom site check: every page of \`${config.detections}\` built in ${siteDir}\n`);
}
