/**
 * Evaluation throughput: all SigmaHQ `rules*` rules (3,780) indexed with
 * logsource scoping, over ≥1M events made by replaying SigmaHQ's regression
 * events in memory (never copied into the repository). Each event is
 * flattened from its evtx_dump shape and matched, as `loom hunt` does after
 * JSON parsing. Targets: ≥ 50,000 events/s on one core, ≤ 512 MB peak memory.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { splitJsonRecords } from '../../src/core/events/records.ts';
import { flattenWindowsEvent } from '../../src/core/logsource/windows.ts';
import { RuleEngine } from '../../src/core/sigma/evaluate/engine.ts';
import type { SigmaDocument } from '../../src/core/sigma/model.ts';
import { parseSigmaBlock } from '../../src/core/sigma/parse.ts';
import { wholeFile } from '../../src/core/text/source.ts';

const SIGMAHQ = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'corpus', 'sigmahq');
const TOTAL = Number(process.env.EVENTS ?? 1_000_000);

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

let started = performance.now();
const documents: SigmaDocument[] = [];
for (const root of readdirSync(SIGMAHQ).filter((n) => n.startsWith('rules')))
  for (const file of walk(join(SIGMAHQ, root)))
    if (/\.ya?ml$/.test(file)) documents.push(...parseSigmaBlock(wholeFile(readFileSync(file, 'utf8'))).documents);
const parsed = performance.now() - started;
started = performance.now();
const engine = new RuleEngine(documents);
const indexed = performance.now() - started;

const raw: Record<string, unknown>[] = [];
for (const file of walk(join(SIGMAHQ, 'regression_data')))
  if (file.endsWith('.json')) for (const r of splitJsonRecords(readFileSync(file, 'utf8'))) if (r.ok) raw.push(r.value);

// Warm-up, then the measured run.
for (let i = 0; i < 20_000; i++) engine.match(flattenWindowsEvent(raw[i % raw.length]!));
let matches = 0;
started = performance.now();
for (let i = 0; i < TOTAL; i++) matches += engine.match(flattenWindowsEvent(raw[i % raw.length]!)).length;
const seconds = (performance.now() - started) / 1000;
const rate = TOTAL / seconds;
const peakMb = process.resourceUsage().maxRSS / 1024;

console.log(
  `rules: ${engine.rules.length} indexed (${engine.anchoredCount} through anchors), ${engine.skipped.length} outside the logsource table`,
);
console.log(`parse ${(parsed / 1000).toFixed(2)} s, index ${(indexed / 1000).toFixed(2)} s`);
console.log(
  `events: ${TOTAL.toLocaleString('en')} (${raw.length} regression events replayed), matches: ${matches.toLocaleString('en')}`,
);
console.log(
  `throughput: ${Math.round(rate).toLocaleString('en')} events/s on one core (target ≥ 50,000)  ${rate >= 50_000 ? 'PASS' : 'FAIL'}`,
);
console.log(`peak memory: ${peakMb.toFixed(0)} MB RSS (target ≤ 512)  ${peakMb <= 512 ? 'PASS' : 'FAIL'}`);
process.exitCode = rate >= 50_000 && peakMb <= 512 ? 0 : 1;
