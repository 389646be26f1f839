/**
 * `loom check` over 3,000 generated detections of about 4 KB each, as a cold
 * process (what CI pays on every pull request). Target: at most 1.5 s wall.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { countDocuments, generateCatalog } from './generate.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = generateCatalog(join(root, 'tests', 'bench', '.cache', 'check-3000'), 3000);
const count = countDocuments(dir);
const sample = statSync(join(dir, 'windows', 'synthetic-detection-0-suspicious-windows-activity.md')).size;

const report = join(root, 'tests', 'bench', '.cache', 'check-report.json');
const runs: { seconds: number; rssMb: number; code: number | null }[] = [];
for (let i = 0; i < 5; i++) {
  const started = process.hrtime.bigint();
  const result = spawnSync(
    '/usr/bin/time',
    [
      '-f',
      '%M',
      process.execPath,
      join(root, 'src', 'cli', 'loom.js'),
      'check',
      dir,
      '--format',
      'json',
      '--out',
      report,
    ],
    {
      encoding: 'utf8',
    },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rssKb = Number(result.stderr.trim().split('\n').pop());
  if (result.status !== 0 && result.status !== 1) {
    console.error(`loom check failed (exit ${result.status}):\n${result.stderr}`);
    process.exit(1);
  }
  const checked = (JSON.parse(readFileSync(report, 'utf8')) as { files: number }).files;
  if (checked !== count) throw new Error(`loom check read ${checked} files, expected ${count}`);
  runs.push({ seconds, rssMb: rssKb / 1024, code: result.status });
}
const times = runs.map((r) => r.seconds).sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)]!;
console.log(`loom check, cold process: ${count} detections (~${(sample / 1024).toFixed(1)} KB each)`);
console.log(
  `  wall: median ${median.toFixed(2)} s, best ${times[0]!.toFixed(2)} s over ${runs.length} runs (target <= 1.5 s)`,
);
console.log(`  peak RSS: ${Math.max(...runs.map((r) => r.rssMb)).toFixed(0)} MB; exit code ${runs[0]!.code}`);
if (median > 1.5) console.log('  OVER TARGET');
