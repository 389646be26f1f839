/** `loom bundle [paths…] [--out DIR]`: the rules bundle for the SIEM sync job, without the site. */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadCatalog } from '../../catalog/load.ts';
import { buildBundle, type BundleOutput } from '../../core/bundle/build.ts';
import { DEFAULT_STATUSES, type Status } from '../../core/bundle/status.ts';
import { STATUSES } from '../../core/detection/frontmatter-fields.ts';
import { compareDiagnostics, countBySeverity } from '../../core/diagnostics.ts';
import type { Command } from '../command.ts';
import { commandConfig } from '../config.ts';
import { EXIT, UsageError, foundDetections } from '../io.ts';
import { useColor } from '../options.ts';
import { REPORTERS } from '../report/index.ts';

const help = `Usage: loom bundle [paths…] [options]

Builds the rules bundle the SIEM sync job reads, without the site:

  <out>/rules.json         format version, source commit (when in git), and per
                           detection: id, title, status, severity, ATT&CK, data
                           sources, owner, page URL, a sha-256 of the logic
                           (sigma and query blocks), the merged Sigma rules as
                           JSON, the hand-written queries by target, and the
                           sample-event results
  <out>/schema.json        the JSON Schema of rules.json
  <out>/sigma/<id>.yml     the merged Sigma rule of each detection

Output is sorted and has no timestamps: the same input gives byte-identical
files. The folder is emptied first.

Statuses: test, stable and deprecated detections ship; deprecated ones are
marked \`"deprecated": true\` so the sync job can remove them. experimental
detections are left out (not meant for deployment) unless
--include-experimental is given.

Folders are searched recursively. Default path: $LOOM_DETECTIONS, else the
"detections" key of "loom" in package.json, else detections/

The output folder is emptied first, so it must be new, empty, or an earlier
bundle (it has rules.json): loom refuses a file or a folder of other files.

Options:
  -o, --out <dir>             output folder (default: $LOOM_OUT/bundle, else dist/bundle)
      --include-experimental  also ship experimental detections
      --site-url <url>        base URL of the knowledge base, for page links
                              (default: $LOOM_SITE_URL, else loom.siteUrl in
                              package.json, else site-relative paths)
      --no-tests              do not run the sample events
  -h, --help                  show this help

Exit codes: 0 bundle written; 1 the catalog or the "loom" configuration has
errors (nothing is written);
2 usage errors, a path that does not exist, or no detections found.
`;

/** sha-256 hex of a UTF-8 string. */
export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** HEAD commit of the git work tree holding `cwd`, when there is one. */
export function gitCommit(cwd: string): string | undefined {
  try {
    const out = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] });
    const commit = out.toString('utf8').trim();
    return /^[0-9a-f]{40,64}$/.test(commit) ? commit : undefined;
  } catch {
    return undefined;
  }
}

/** Checks that `out` (spelt `shown` by the user) is a folder of its own: not the working directory, `/` or a file. */
export function assertOutFolder(cwd: string, out: string, shown: string): void {
  if (out === resolve(cwd) || out === '/')
    throw new UsageError(`Unexpected --out \`${shown}\`, expected a folder of its own`);
  if (statSync(out, { throwIfNoEntry: false })?.isDirectory() === false)
    throw new UsageError(`Unexpected --out \`${shown}\`: it is a file, expected a folder`);
}

/**
 * Checks that `out` (spelt `shown` by the user) may be replaced by a bundle: a folder of its own that does not exist
 * yet, is empty, or is a bundle written before (it has `rules.json`). A folder of other files is a usage error:
 * writing a bundle empties its folder first, and that must never take someone's files with it.
 */
export function assertBundleFolder(cwd: string, out: string, shown: string): void {
  assertOutFolder(cwd, out, shown);
  const entries = existsSync(out) ? readdirSync(out) : [];
  if (entries.length > 0 && !entries.includes('rules.json'))
    throw new UsageError(
      `Unexpected --out \`${shown}\`: it holds files that are not a bundle, expected a new or empty folder or an earlier bundle (writing a bundle empties its folder first)`,
    );
}

/** Empties `out`, then writes the bundle's files into it. */
export function writeBundleFiles(out: string, result: BundleOutput): void {
  rmSync(out, { recursive: true, force: true });
  const made = new Set<string>();
  for (const [path, content] of result.files) {
    const file = join(out, path);
    const dir = dirname(file);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    writeFileSync(file, content);
  }
}

/** `3 detections (1 deprecated), 1 left out`. */
export function bundleSummary(result: BundleOutput): string {
  const n = result.bundle.detections.length;
  const deprecated = result.bundle.detections.filter((d) => d.deprecated).length;
  return `${n} detection${n === 1 ? '' : 's'} (${deprecated} deprecated), ${result.skipped.length} left out`;
}

/** The bundle command. */
export const command: Command = {
  name: 'bundle',
  help,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string', short: 'o' },
        'include-experimental': { type: 'boolean' },
        'site-url': { type: 'string' },
        'no-tests': { type: 'boolean' },
      },
    });
    const config = commandConfig(io, 'bundle', 'no bundle written');
    if (!config) return EXIT.failed;
    const paths = positionals.length ? positionals : [config.detections];
    const outName = values.out ?? `${io.env['LOOM_OUT'] || 'dist'}/bundle`;
    const out = resolve(io.cwd, outName);
    assertBundleFolder(io.cwd, out, outName);
    const statuses: Status[] = values['include-experimental'] ? [...STATUSES] : [...DEFAULT_STATUSES];
    const started = performance.now();
    const catalog = loadCatalog(paths, { cwd: io.cwd, sigmaFiles: false });
    if (!foundDetections(io, 'bundle', paths, catalog.missing, catalog.detections.length)) return EXIT.usage;
    const errors = catalog.diagnostics.filter((d) => d.severity === 'error').sort(compareDiagnostics);
    if (countBySeverity(errors).error > 0) {
      const color = useColor(io.isTTY, io.env);
      io.stderr(
        REPORTERS.stylish!({ diagnostics: errors, fileCount: catalog.fileCount, color, seconds: 0 }) +
          'loom bundle: the catalog has errors; no bundle written (run `loom check` for warnings too)\n',
      );
      return EXIT.failed;
    }
    const siteUrl = values['site-url'] ?? config.siteUrl;
    const commit = gitCommit(io.cwd);
    const result = buildBundle(catalog.detections, {
      sha256,
      statuses,
      tests: !values['no-tests'],
      ...(commit ? { commit } : {}),
      ...(siteUrl ? { siteUrl } : {}),
    });
    writeBundleFiles(out, result);
    const seconds = (performance.now() - started) / 1000;
    io.stdout(`loom bundle: ${bundleSummary(result)}, written to ${outName} in ${seconds.toFixed(2)} s\n`);
    return EXIT.ok;
  },
};
