/** `loom import sigma <files or folders>`: turn Sigma rules into ADS detection documents. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { collectFiles } from '../../catalog/files.ts';
import { decodeUtf8 } from '../../catalog/decode.ts';
import { compareDiagnostics, type Diagnostic } from '../../core/diagnostics.ts';
import { generatedState, importSigmaRule } from '../../core/sigma/import.ts';
import { parseSigmaBlock } from '../../core/sigma/parse.ts';
import { validateSigmaDocuments } from '../../core/sigma/validate.ts';
import { wholeFile } from '../../core/text/source.ts';
import type { Command } from '../command.ts';
import { EXIT, UsageError } from '../io.ts';
import { useColor } from '../options.ts';
import { REPORTERS } from '../report/index.ts';

const help = `Usage: loom import sigma <files or folders…> [options]

Imports Sigma rules (.yml, .yaml; folders are searched recursively) as ADS
detection documents, one per rule file, in <out>/<platform>/<slug>.md:
metadata in the frontmatter, the description in Goal, ATT&CK tags in
Categorization, falsepositives in False Positives, references and the
original rule's credit and licence in Additional Resources, and the rule's
logic (logsource, detection, fields, …) in a sigma block in Technical
Context. Sections the rule has nothing for get a TODO line (a warning in
\`loom check\`). Merging the document (\`toSigmaRule\`) gives the rule back.

Importing the same rule twice gives the same document. Each document records
a hash of its generated text (\`generated:\`); a document edited since it was
imported, or not made by import at all, is never overwritten unless --force.
Rules from a SigmaHQ checkout (a LICENSE naming the Detection Rule License
beside or above them) are credited with a GitHub link and DRL-1.1.

Options:
  -o, --out <dir>     folder to write documents to (default: detections)
      --force         overwrite documents that were edited since their import
      --owner <name>  frontmatter owner (default: detection-engineering)
  -h, --help          show this help

Per file it prints: created, unchanged, updated (an untouched earlier import
of a changed rule), overwritten (edited, with --force), skipped (edited), or
invalid (with positioned diagnostics; the other rules are still imported).

Exit codes: 0 every rule imported or left alone; 1 some rules invalid;
2 usage errors or a path that does not exist.
`;

type Outcome = 'created' | 'unchanged' | 'updated' | 'overwritten' | 'skipped' | 'invalid';

/** The SigmaHQ checkout a file lies in: the nearest folder above it whose LICENSE names the DRL. */
function checkoutRoot(file: string, cache: Map<string, string | null>): string | undefined {
  const seen: string[] = [];
  let dir = dirname(file);
  for (let depth = 0; depth < 32; depth++) {
    const cached = cache.get(dir);
    if (cached !== undefined) {
      for (const d of seen) cache.set(d, cached);
      return cached ?? undefined;
    }
    seen.push(dir);
    for (const name of ['LICENSE', 'LICENSE.md', 'LICENSE.txt']) {
      const path = join(dir, name);
      if (existsSync(path) && /Detection Rule License/i.test(readFileSync(path, 'utf8'))) {
        for (const d of seen) cache.set(d, dir);
        return dir;
      }
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  for (const d of seen) cache.set(d, null);
  return undefined;
}

/** The import command. */
export const command: Command = {
  name: 'import',
  help,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string', short: 'o' },
        force: { type: 'boolean' },
        owner: { type: 'string' },
      },
    });
    const [kind, ...paths] = positionals;
    if (kind !== 'sigma') {
      throw new UsageError(
        `Unexpected ${kind === undefined ? 'nothing' : `\`${kind}\``}, expected \`sigma\` (\`loom import sigma <files or folders>\`)`,
      );
    }
    if (!paths.length) throw new UsageError('Unexpected no paths, expected Sigma files or folders to import');
    if (values.owner !== undefined && !values.owner.trim())
      throw new UsageError('Unexpected empty --owner, expected a name');
    const out = resolve(io.cwd, values.out ?? 'detections');
    const { files, missing } = collectFiles(paths, io.cwd, { sigma: true });
    if (missing.length) {
      throw new UsageError(`Unexpected path ${missing.map((m) => `\`${m.path}\``).join(', ')}: no such file or folder`);
    }
    const sigmaFiles = files.filter((f) => f.kind === 'sigma');
    if (!sigmaFiles.length) {
      io.stderr(
        `loom import: no Sigma rules found in ${paths.map((p) => `\`${p}\``).join(', ')} (looked for .yml and .yaml files)\n`,
      );
      return EXIT.usage;
    }

    const started = performance.now();
    const counts: Record<Outcome, number> = {
      created: 0,
      unchanged: 0,
      updated: 0,
      overwritten: 0,
      skipped: 0,
      invalid: 0,
    };
    const diagnostics: Diagnostic[] = [];
    const written = new Set<string>();
    const roots = new Map<string, string | null>();
    const lines: string[] = [];
    for (const file of sigmaFiles) {
      const decoded = decodeUtf8(readFileSync(file.absolute));
      const found: Diagnostic[] = [...decoded.diagnostics];
      let documents: Record<string, unknown>[] = [];
      if (decoded.text !== undefined) {
        const parsed = parseSigmaBlock(wholeFile(decoded.text));
        found.push(...parsed.diagnostics, ...validateSigmaDocuments(parsed.documents, {}));
        documents = parsed.documents.map((d) => d.raw);
      }
      for (const d of found) d.file ??= file.display;
      const errors = found.filter((d) => d.severity === 'error');
      if (errors.length || !documents.length) {
        diagnostics.push(...errors);
        counts.invalid++;
        lines.push(`invalid      ${file.display}`);
        continue;
      }
      const root = checkoutRoot(file.absolute, roots);
      const source = root
        ? `https://github.com/SigmaHQ/sigma/blob/master/${relative(root, file.absolute).split(/[\\/]/).join('/')}`
        : file.display;
      const imported = importSigmaRule(documents, {
        source,
        license: root ? 'DRL-1.1' : undefined,
        sigmaHQ: Boolean(root),
        owner: values.owner,
      });
      let target = join(out, imported.path.replace(/^detections\//, ''));
      // Two rules whose titles share a slug: the second gets its id's first block.
      if (written.has(target)) target = target.replace(/\.md$/, `-${imported.id.slice(0, 8)}.md`);
      written.add(target);
      const shown = relative(io.cwd, target) || target;
      let outcome: Outcome;
      if (!existsSync(target)) outcome = 'created';
      else {
        const existing = readFileSync(target, 'utf8');
        const state = generatedState(existing);
        if (existing === imported.text) outcome = 'unchanged';
        else if (state === 'untouched') outcome = 'updated';
        else outcome = values.force ? 'overwritten' : 'skipped';
      }
      counts[outcome]++;
      if (outcome === 'created' || outcome === 'updated' || outcome === 'overwritten') {
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, imported.text);
      }
      lines.push(
        `${outcome.padEnd(12)} ${shown}  (from ${file.display}${outcome === 'skipped' ? '; edited since its import, --force overwrites it' : ''})`,
      );
    }
    io.stdout(lines.join('\n') + '\n');
    if (diagnostics.length) {
      io.stdout(
        REPORTERS['stylish']!({
          diagnostics: diagnostics.sort(compareDiagnostics),
          fileCount: sigmaFiles.length,
          color: useColor(io.isTTY, io.env),
        }),
      );
    }
    const summary = (Object.keys(counts) as Outcome[]).map((k) => `${counts[k]} ${k}`).join(', ');
    io.stdout(`${sigmaFiles.length} rules: ${summary} (${((performance.now() - started) / 1000).toFixed(2)} s)\n`);
    return counts.invalid ? EXIT.failed : EXIT.ok;
  },
};
