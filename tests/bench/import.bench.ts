/**
 * `loom import sigma` + `loom check` of every rule SigmaHQ's CI accepts
 * (3,780 files under ../shared/corpus/sigmahq/rules*): parse + validate +
 * import each rule and write the document to a temporary folder, then check
 * the generated documents with `checkCatalogFiles`, the pass `loom check` runs.
 * Prints the time of each phase, wall time since process start, and peak RSS.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkCatalogFiles } from '../../src/catalog/check.ts';
import { importSigmaRule } from '../../src/core/sigma/import.ts';
import { parseSigmaBlock } from '../../src/core/sigma/parse.ts';
import { validateSigmaDocuments } from '../../src/core/sigma/validate.ts';
import { wholeFile } from '../../src/core/text/source.ts';
import { sigmaRuleFiles } from '../helpers/corpus.ts';

const corpus = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/corpus/sigmahq');
if (!existsSync(corpus)) {
  console.log(`import: skipped, ${corpus} not found`);
  process.exit(process.env['CI'] ? 1 : 0);
}

const out = mkdtempSync(join(tmpdir(), 'loom-import-bench-'));
const started = performance.now();
const files = sigmaRuleFiles(corpus);
const written = new Set<string>();
let invalid = 0;
for (const file of files) {
  const parsed = parseSigmaBlock(wholeFile(readFileSync(file, 'utf8')));
  const errors = [...parsed.diagnostics, ...validateSigmaDocuments(parsed.documents, {})].filter(
    (d) => d.severity === 'error',
  );
  if (errors.length) {
    invalid++;
    continue;
  }
  const doc = importSigmaRule(
    parsed.documents.map((d) => d.raw),
    {
      source: `https://github.com/SigmaHQ/sigma/blob/master/${relative(corpus, file)}`,
      license: 'DRL-1.1',
      sigmaHQ: true,
    },
  );
  let target = join(out, doc.path);
  if (written.has(target)) target = target.replace(/\.md$/, `-${doc.id.slice(0, 8)}.md`);
  written.add(target);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, doc.text);
}
const imported = performance.now();
const catalog = await checkCatalogFiles(['detections'], { cwd: out, sigmaFiles: true });
const checked = performance.now();
const counts = { error: 0, warning: 0, info: 0 };
for (const d of catalog.diagnostics) counts[d.severity]++;
rmSync(out, { recursive: true, force: true });
const rss = process.resourceUsage().maxRSS / 1024;
console.log(`import: ${files.length} rules, ${written.size} documents written, ${invalid} invalid`);
console.log(`import: check of the documents: ${counts.error} errors, ${counts.warning} warnings`);
console.log(
  `import: parse + validate + import ${(imported - started).toFixed(0)} ms; check (as loom check) ${(checked - imported).toFixed(0)} ms`,
);
console.log(`import: wall since process start ${performance.now().toFixed(0)} ms; peak RSS ${rss.toFixed(0)} MB`);
