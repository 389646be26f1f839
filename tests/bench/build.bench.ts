/**
 * A cold `npm run build` (`loom build`: check, bundle, Astro, page check,
 * Pagefind, in one process) over 3,000 generated detections in a temporary
 * folder. Targets: at most 30 s wall and 1.5 GB peak RSS. Prints each phase's
 * time as the build reports it, Pagefind's share among them, and the CPU time
 * (user + system, less sensitive than wall to other work on the machine).
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
): { seconds: number; cpu: number; rssMb: number; code: number | null; stderr: string } {
  const started = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-f', 'LOOM_MAXRSS %M %U %S', command, ...args], {
    cwd: root,
    env,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const match = /LOOM_MAXRSS (\d+) ([\d.]+) ([\d.]+)/.exec(result.stderr);
  return {
    seconds,
    cpu: match ? Number(match[2]) + Number(match[3]) : NaN,
    rssMb: match ? Number(match[1]) / 1024 : NaN,
    code: result.status,
    stderr: result.stderr,
  };
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
// The build's own phase lines: `loom build: search  Pagefind indexed 3006 pages (4.2 s)`.
const phases = [...build.stderr.matchAll(/^loom build: (\w+) +(.*) \(([\d.]+) s\)$/gm)].map((m) => ({
  name: m[1]!,
  text: m[2]!,
  seconds: Number(m[3]),
}));
const search = phases.find((p) => p.name === 'search');
console.log(`npm run build, cold: ${count} generated detections -> ${pages} detection pages + bundle`);
console.log(`  wall: ${build.seconds.toFixed(1)} s (target <= 30 s); CPU (user + system): ${build.cpu.toFixed(1)} s`);
console.log(`  peak RSS: ${build.rssMb.toFixed(0)} MB (target <= 1536 MB)`);
for (const p of phases) console.log(`  ${p.name.padEnd(7)} ${p.seconds.toFixed(1).padStart(5)} s  ${p.text}`);
if (search)
  console.log(
    `  Pagefind: ${search.seconds.toFixed(1)} s, ${((100 * search.seconds) / build.seconds).toFixed(0)}% of the build's wall time`,
  );
if (build.seconds > 30 || build.rssMb > 1536) console.log('  OVER TARGET');
rmSync(temp, { recursive: true, force: true });
