/**
 * Parse + validate every rule SigmaHQ's CI accepts (3,780 files under
 * ../shared/corpus/sigmahq/rules*), as `loom check` does for plain Sigma
 * files: per-file parse and validators, then the catalog checks once.
 * Prints wall time (from process start, so module loading counts) and peak RSS.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSigmaBlock } from '../../src/core/sigma/parse.ts';
import { validateSigmaCatalog, validateSigmaDocuments } from '../../src/core/sigma/validate.ts';
import type { SigmaDocument } from '../../src/core/sigma/model.ts';
import { wholeFile } from '../../src/core/text/source.ts';

const corpus = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/corpus/sigmahq');
if (!existsSync(corpus)) {
  console.log(`sigma: skipped, ${corpus} not found`);
  process.exit(process.env['CI'] ? 1 : 0);
}

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yamlFiles(path, out);
    else if (/\.ya?ml$/.test(entry.name)) out.push(path);
  }
  return out;
}

const started = performance.now();
const files = [
  'rules',
  'rules-compliance',
  'rules-emerging-threats',
  'rules-placeholder',
  'rules-threat-hunting',
].flatMap((d) => yamlFiles(join(corpus, d)));
const entries: { file: string; documents: SigmaDocument[] }[] = [];
const counts = { error: 0, warning: 0, info: 0 };
for (const file of files) {
  const parsed = parseSigmaBlock(wholeFile(readFileSync(file, 'utf8')));
  for (const d of parsed.diagnostics) counts[d.severity]++;
  for (const d of validateSigmaDocuments(parsed.documents, {})) counts[d.severity]++;
  entries.push({ file, documents: parsed.documents });
}
for (const d of validateSigmaCatalog(entries)) counts[d.severity]++;
const work = performance.now() - started;
const wall = performance.now() + (performance.timeOrigin - performance.timeOrigin);
const cpu = process.cpuUsage();
console.log(`sigma: CPU user ${(cpu.user / 1000).toFixed(0)} ms, system ${(cpu.system / 1000).toFixed(0)} ms`);
const rss = process.resourceUsage().maxRSS / 1024;
console.log(`sigma: ${files.length} files, ${entries.reduce((n, e) => n + e.documents.length, 0)} documents`);
console.log(`sigma: ${counts.error} errors, ${counts.warning} warnings`);
console.log(
  `sigma: parse + validate ${work.toFixed(0)} ms; wall since process start ${wall.toFixed(0)} ms (budget 1500 ms)`,
);
console.log(`sigma: peak RSS ${rss.toFixed(0)} MB`);
