/**
 * A cold `npm run build` (check + bundle + astro build + page check +
 * Pagefind) over 3,000 generated detections in a temporary folder. Targets:
 * at most 30 s wall and 1.5 GB peak RSS. Prints Pagefind's share, measured
 * by running it again on the built site.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { countDocuments, generateCatalog } from './generate.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const temp = mkdtempSync(join(tmpdir(), 'loom-build-bench-'));
const detections = generateCatalog(join(temp, 'detections'), 3000);
const count = countDocuments(detections);
const out = join(temp, 'dist');
const env = { ...process.env, LOOM_DETECTIONS: detections, LOOM_OUT: out, ASTRO_TELEMETRY_DISABLED: '1' };
// Cold: no Astro/Vite cache from an earlier run.
rmSync(join(root, 'node_modules', '.astro'), { recursive: true, force: true });
rmSync(join(root, 'node_modules', '.vite'), { recursive: true, force: true });

function timed(
  command: string,
  args: string[],
): { seconds: number; rssMb: number; code: number | null; stderr: string } {
  const started = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-f', 'LOOM_MAXRSS %M', command, ...args], {
    cwd: root,
    env,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const match = /LOOM_MAXRSS (\d+)/.exec(result.stderr);
  return { seconds, rssMb: match ? Number(match[1]) / 1024 : NaN, code: result.status, stderr: result.stderr };
}

const build = timed('npm', ['run', 'build', '--silent']);
if (build.code !== 0) {
  console.error(`npm run build failed (exit ${build.code}):\n${build.stderr.slice(-4000)}`);
  rmSync(temp, { recursive: true, force: true });
  process.exit(1);
}
const pages = readdirSync(join(out, 'site', 'detections'), { recursive: true }).filter((f) =>
  String(f).endsWith('index.html'),
).length;
const pagefind = timed(join(root, 'node_modules', '.bin', 'pagefind'), [
  '--site',
  join(out, 'site'),
  '--output-subdir',
  'pagefind',
]);
console.log(`npm run build, cold: ${count} generated detections -> ${pages} detection pages + bundle`);
console.log(`  wall: ${build.seconds.toFixed(1)} s (target <= 30 s)`);
console.log(`  peak RSS of the largest process: ${build.rssMb.toFixed(0)} MB (target <= 1536 MB)`);
console.log(
  `  Pagefind alone (re-run): ${pagefind.seconds.toFixed(1)} s (${((100 * pagefind.seconds) / build.seconds).toFixed(0)}% of the build), ${pagefind.rssMb.toFixed(0)} MB`,
);
if (build.seconds > 30 || build.rssMb > 1536) console.log('  OVER TARGET');
rmSync(temp, { recursive: true, force: true });
