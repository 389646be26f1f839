/**
 * `loom build [paths…] [--out DIR]`: the knowledge base and the rules bundle
 * from one parse, in one process: check, bundle, Astro, page check, Pagefind.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadCatalog, type Catalog } from '../../catalog/load.ts';
import { buildBundle } from '../../core/bundle/build.ts';
import { DEFAULT_STATUSES } from '../../core/bundle/status.ts';
import type { Detection } from '../../core/detection/model.ts';
import { compareDiagnostics, countBySeverity } from '../../core/diagnostics.ts';
import { runDetectionTests, type DetectionTestResult } from '../../core/sigma/evaluate/run-tests.ts';
import type { SiteConfig } from '../../site/config.ts';
import { highlightAll } from '../../site/highlight-pool.ts';
import { highlightRequests, mergedSigmaYaml } from '../../site/pages.ts';
import { preloadCatalog } from '../../site/preload.ts';
import { verifyPages } from '../../site/verify.ts';
import type { Command } from '../command.ts';
import { commandConfig } from '../config.ts';
import { EXIT, foundDetections, type Io } from '../io.ts';
import { useColor } from '../options.ts';
import { REPORTERS } from '../report/index.ts';
import { assertBundleFolder, assertOutFolder, bundleSummary, gitCommit, sha256, writeBundleFiles } from './bundle.ts';

const help = `Usage: loom build [paths…] [options]

Builds the knowledge base and the rules bundle from one parse of the catalog,
in one process, and fails when anything is wrong:

  1. check    parse every document once; print its diagnostics as
              \`loom check\` does; any error stops the build (exit 1)
  2. code     every distinct code block highlighted once (Shiki, light and
              dark themes), in worker threads, alongside the next phases
  3. bundle   <out>/bundle: rules.json, schema.json, sigma/<id>.yml
              (as \`loom bundle\`; test, stable and deprecated detections)
  4. site     <out>/site: the Astro knowledge base, rendered from the same
              parsed detections (each sample event runs once, for the bundle
              and the pages alike)
  5. verify   every detection has its page and the page rendered it (a page
              that failed to render fails the build; stock \`astro build\`
              exits 0 then)
  6. search   the Pagefind index in <out>/site/pagefind (detection pages are
              indexed as Astro renders them)

Each phase reports its time on stderr.

Settings come from the "loom" key of package.json, each overridden by its
environment variable: detections (LOOM_DETECTIONS, default detections/),
repoUrl and repoBranch for edit links (LOOM_REPO_URL, LOOM_REPO_BRANCH),
attackBundle (LOOM_ATTACK_BUNDLE), siteUrl (LOOM_SITE_URL), base
(LOOM_BASE). A path argument overrides the detections folder.

Options:
  -o, --out <dir>   output folder (default: $LOOM_OUT, else dist)
  -h, --help        show this help

Exit codes: 0 built; 1 the catalog has errors, a page failed to render, or
the site or the search index could not be built; 2 usage errors, a path that
does not exist, or no detections found.
`;

/** The Loom package: Astro's project root (src/pages, astro.config.mjs). */
const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Prints one phase's progress line on stderr. */
function phase(io: Io, name: string, text: string, started: number): void {
  io.stderr(`loom build: ${name.padEnd(7)} ${text} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
}

/** Sample results computed once per detection and shared by the bundle and the pages. */
function testRunner(): {
  bundle: (d: Detection) => DetectionTestResult;
  site: (d: Detection) => DetectionTestResult | undefined;
} {
  const results = new Map<Detection, { result?: DetectionTestResult; error?: unknown }>();
  const run = (d: Detection) => {
    let entry = results.get(d);
    if (!entry) {
      try {
        entry = { result: runDetectionTests(d, { requireSamplesFor: [] }) };
      } catch (error) {
        entry = { error };
      }
      results.set(d, entry);
    }
    return entry;
  };
  return {
    bundle: (d) => {
      const entry = run(d);
      if (entry.error !== undefined) throw entry.error;
      return entry.result!;
    },
    site: (d) => run(d).result,
  };
}

/** Runs Astro's build of src/pages with the catalog already loaded. */
async function buildSite(siteDir: string, config: SiteConfig): Promise<void> {
  process.env['ASTRO_TELEMETRY_DISABLED'] ??= '1';
  const { build } = await import('astro');
  // Astro writes its prerender chunks to <cwd>/.astro/.prerender when the
  // output folder is outside the working directory, and they must resolve
  // the package's node_modules. A folder of this build's own inside the
  // package keeps concurrent builds apart.
  const cwd = process.cwd();
  mkdirSync(join(PACKAGE_ROOT, 'node_modules', '.cache'), { recursive: true });
  const work = mkdtempSync(join(PACKAGE_ROOT, 'node_modules', '.cache', 'loom-build-'));
  process.chdir(work);
  try {
    await build({
      root: PACKAGE_ROOT,
      outDir: siteDir,
      base: config.base,
      ...(config.siteUrl ? { site: config.siteUrl } : {}),
      logLevel: 'warn',
      mode: 'production',
    });
  } finally {
    process.chdir(cwd);
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * A page as Pagefind reads it, without Shiki's token spans: they hold no text
 * of their own (the index is the same) but half of a detection page's bytes,
 * all of which would cross the pipe to Pagefind.
 */
export function withoutTokenSpans(html: string): string {
  return html.replace(/<pre class="shiki[^>]*>[\s\S]*?<\/pre>/g, (pre) => pre.replace(/<\/?span\b[^>]*>/g, ''));
}

/**
 * Pagefind through its Node API, fed page by page while Astro renders (the
 * indexing runs in Pagefind's own process, on the other core), then completed
 * from the site folder: every HTML file Astro wrote is indexed exactly once.
 */
async function startSearchIndex(base: string) {
  const pagefind = await import('pagefind');
  const { index, errors } = await pagefind.createIndex({});
  if (!index) {
    await pagefind.close();
    throw new Error(errors.join('; ') || 'Pagefind did not start');
  }
  const prefix = base.endsWith('/') ? base : `${base}/`;
  const sent = new Set<string>();
  const pending: Promise<{ errors: string[] }>[] = [];
  const add = (sourcePath: string, content: string): void => {
    sent.add(sourcePath);
    const added = index.addHTMLFile({ sourcePath, content });
    added.catch(() => {}); // collected in finish(); not unhandled if the build stops first
    pending.push(added);
  };
  let streamed = 0;
  return {
    /** A rendered page (`/detections/windows/x/` is `detections/windows/x/index.html`). */
    onPage(pathname: string, html: string): void {
      let path = decodeURIComponent(pathname);
      if (!path.startsWith(prefix) || !path.endsWith('/')) return;
      path = path.slice(prefix.length);
      // Detection pages (the bulk) are written as <path>/index.html; the few
      // others (404.html among them) are left to the folder walk.
      if (!path.startsWith('detections/')) return;
      add(`${path}index.html`, withoutTokenSpans(html));
      streamed++;
    },
    /** Adds the pages not seen yet, writes the index; returns the page count and how many came while rendering. */
    async finish(siteDir: string): Promise<{ pages: number; streamed: number }> {
      for (const rel of readdirSync(siteDir, { recursive: true, encoding: 'utf8' })) {
        const path = rel.split(sep).join('/');
        if (!path.endsWith('.html') || path.startsWith('pagefind/') || sent.has(path)) continue;
        add(path, readFileSync(join(siteDir, rel), 'utf8'));
      }
      const problems = (await Promise.all(pending)).flatMap((r) => r.errors);
      if (problems.length) throw new Error(problems.join('; '));
      const written = await index.writeFiles({ outputPath: join(siteDir, 'pagefind') });
      if (written.errors.length) throw new Error(written.errors.join('; '));
      return { pages: pending.length, streamed };
    },
    close: () => pagefind.close(),
  };
}

/** The build command. */
export const command: Command = {
  name: 'build',
  help,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { out: { type: 'string', short: 'o' } },
    });
    const config = commandConfig(io, 'build', 'nothing was built');
    if (!config) return EXIT.failed;
    const paths = positionals.length ? positionals : [config.detections];
    const outName = values.out ?? (io.env['LOOM_OUT'] || 'dist');
    const out = resolve(io.cwd, outName);
    assertOutFolder(io.cwd, out, outName);
    const bundleDir = join(out, 'bundle');
    assertBundleFolder(io.cwd, bundleDir, join(outName, 'bundle'));
    const siteDir = join(out, 'site');
    const color = useColor(io.isTTY, io.env);
    const started = performance.now();

    // 1. One parse, reported as `loom check` reports it.
    let t = performance.now();
    const catalog: Catalog = loadCatalog(paths, { cwd: io.cwd, sigmaFiles: true });
    if (!foundDetections(io, 'build', paths, catalog.missing, catalog.detections.length)) return EXIT.usage;
    const diagnostics = [...catalog.diagnostics].sort(compareDiagnostics);
    const counts = countBySeverity(diagnostics);
    phase(
      io,
      'check',
      `${catalog.fileCount} files parsed: ${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warning} warning${counts.warning === 1 ? '' : 's'}`,
      t,
    );
    if (diagnostics.length)
      io.stdout(
        REPORTERS.stylish!({
          diagnostics,
          fileCount: catalog.fileCount,
          color,
          seconds: (performance.now() - t) / 1000,
        }),
      );
    if (counts.error > 0) {
      io.stderr('loom build: the catalog has errors; nothing was built\n');
      return EXIT.failed;
    }

    // 2. Highlighting runs in worker threads while the bundle is written and
    // Astro compiles the pages; the pages wait for it before rendering.
    const highlightStarted = performance.now();
    const mergedYaml = new Map(catalog.detections.map((d) => [d, mergedSigmaYaml(d)]));
    const highlighting = highlightAll(catalog.detections.flatMap((d) => highlightRequests(d, mergedYaml.get(d))));
    highlighting.then(
      (h) =>
        phase(
          io,
          'code',
          `${h.distinct} distinct blocks highlighted in ${h.threads} thread${h.threads === 1 ? '' : 's'}, alongside the next phases`,
          highlightStarted,
        ),
      () => {}, // reported where the pages await it
    );

    // 3. The bundle.
    t = performance.now();
    const tests = testRunner();
    const commit = gitCommit(io.cwd);
    const siteUrl = config.siteUrl;
    const bundle = buildBundle(catalog.detections, {
      sha256,
      statuses: DEFAULT_STATUSES,
      runTests: tests.bundle,
      ...(commit ? { commit } : {}),
      ...(siteUrl ? { siteUrl } : {}),
    });
    writeBundleFiles(bundleDir, bundle);
    phase(io, 'bundle', `${bundleSummary(bundle)}, written to ${bundleDir}`, t);

    // 4. The site, from the same parsed detections.
    t = performance.now();
    const highlighted = highlighting.then((h) => h.html);
    highlighted.catch(() => {}); // a failure surfaces where the pages await it
    let search: Awaited<ReturnType<typeof startSearchIndex>>;
    try {
      search = await startSearchIndex(config.base);
    } catch (error) {
      io.stderr(`loom build: the search index failed: ${(error as Error).message}\n`);
      return EXIT.failed;
    }
    preloadCatalog({
      onPage: search.onPage,
      mergedYaml: (d) => mergedYaml.get(d),
      highlighted,
      cwd: io.cwd,
      root: PACKAGE_ROOT,
      config: { ...config, detections: paths[0]! },
      catalog,
      tests: tests.site,
    });
    try {
      try {
        await buildSite(siteDir, config);
      } catch (error) {
        io.stderr(`loom build: the site failed to build: ${(error as Error).message}\n`);
        return EXIT.failed;
      } finally {
        preloadCatalog(undefined);
      }
      phase(io, 'site', `pages written to ${siteDir}`, t);

      // 5. Every detection rendered.
      t = performance.now();
      const problems = verifyPages(siteDir, catalog);
      if (problems.length) {
        io.stderr(
          `loom build: ${problems.length} page problem${problems.length === 1 ? '' : 's'}; the build fails\n` +
            problems.map((p) => `  ${p}\n`).join(''),
        );
        return EXIT.failed;
      }
      phase(io, 'verify', `${catalog.detections.length} detection pages rendered`, t);

      // 6. Search: what Astro did not hand over while rendering, then the index files.
      t = performance.now();
      let indexed: { pages: number; streamed: number };
      try {
        indexed = await search.finish(siteDir);
      } catch (error) {
        io.stderr(`loom build: the search index failed: ${(error as Error).message}\n`);
        return EXIT.failed;
      }
      if (!existsSync(join(siteDir, 'pagefind'))) {
        io.stderr('loom build: Pagefind wrote no index\n');
        return EXIT.failed;
      }
      phase(
        io,
        'search',
        `Pagefind indexed ${indexed.pages} pages (${indexed.streamed} of them while Astro rendered)`,
        t,
      );
      io.stdout(
        `loom build: ${catalog.detections.length} detections -> ${siteDir} and ${bundleDir} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
      );
      return EXIT.ok;
    } finally {
      await search.close();
    }
  },
};
