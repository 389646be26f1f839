/**
 * Compares the evaluator of two checkouts in one process, for a host too noisy
 * for separate runs (on this VM two cold runs of the same build differ by up
 * to 2x). Each checkout loads the SigmaHQ `rules*` rules into its own engine;
 * then blocks of 5,000 events go through the hunt path of `evaluate.bench.ts`
 * (NDJSON text split, JSON.parse, flatten, match), alternating between the
 * two, and each build's CPU time is summed over its blocks. A slow spell of
 * the host hits both builds alike, so the ratio holds where the rates do not.
 * Both builds share one heap: a change in how much garbage a build makes, or
 * keeps alive, is not told apart (use `node --trace-gc` for that).
 *
 *   git worktree add /tmp/base <commit>
 *   ln -s "$PWD/node_modules" /tmp/base/node_modules
 *   npm run bench:compare -- /tmp/base .
 *
 * Run it both ways round (A B, then B A): the build loaded second tends to be
 * 1-5 % slower, so the gain is the geometric mean of the two ratios. Both
 * checkouts read `../shared` beside this repository. EVENTS (default 300,000)
 * sets the events per build.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SHARED } from '../helpers/corpus.ts';

const SIGMAHQ = join(SHARED, 'corpus', 'sigmahq');
const TOTAL = Number(process.env.EVENTS ?? 300_000);
const BLOCK = 5_000;

interface Build {
  root: string;
  matches: () => number;
  /** Runs `n` more events through the hunt path (the stream goes on where it stopped). */
  run: (n: number) => void;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- the modules of another checkout, whose types may differ */
async function load(dir: string): Promise<Build> {
  const root = resolve(dir);
  const from = (path: string): Promise<any> => import(join(root, path));
  const records = await from('src/core/events/records.ts');
  const windows = await from('src/core/logsource/windows.ts');
  const { RuleEngine } = await from('src/core/sigma/evaluate/engine.ts');
  const { parseSigmaBlock } = await from('src/core/sigma/parse.ts');
  const { wholeFile } = await from('src/core/text/source.ts');
  const corpus = await from('tests/helpers/corpus.ts');
  const documents: unknown[] = [];
  for (const file of corpus.sigmaRuleFiles(SIGMAHQ) as string[])
    documents.push(...parseSigmaBlock(wholeFile(readFileSync(file, 'utf8'))).documents);
  const engine = new RuleEngine(documents);
  const raw: unknown[] = [];
  for (const file of corpus.filesUnder(join(SIGMAHQ, 'regression_data'), /\.json$/) as string[])
    for (const r of records.splitJsonRecords(readFileSync(file, 'utf8'))) if (r.ok) raw.push(r.value);
  const ndjson = raw.map((r) => JSON.stringify(r)).join('\n') + '\n';
  const chunks: string[] = [];
  for (let i = 0; i < ndjson.length; i += 65_536) chunks.push(ndjson.slice(i, i + 65_536));
  let events = 0;
  let limit = 0;
  let matches = 0;
  let next = 0;
  const scanner = new records.JsonRecordScanner((item: any) => {
    if (!item.ok || events >= limit) return;
    events++;
    matches += engine.match(engine.view(windows.flattenWindowsEvent(item.value))).length;
  });
  return {
    root,
    matches: () => matches,
    run: (n) => {
      limit = events + n;
      while (events < limit) {
        scanner.feed(chunks[next]!);
        next = (next + 1) % chunks.length;
      }
    },
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

const dirs = process.argv.slice(2);
if (dirs.length !== 2) {
  console.error('usage: npm run bench:compare -- <checkout A> <checkout B>');
  process.exit(2);
}
const a = await load(dirs[0]!);
const b = await load(dirs[1]!);
// Warm-up (JIT) for both.
a.run(20_000);
b.run(20_000);
let timeA = 0;
let timeB = 0;
const ratios: number[] = [];
for (let block = 0; block * BLOCK < TOTAL; block++) {
  // Alternate which build goes first inside a pair of blocks.
  const pair = block % 2 === 0 ? [a, b] : [b, a];
  const spent = pair.map((build) => {
    const start = cpuMicros();
    build.run(BLOCK);
    return cpuMicros() - start;
  });
  const [spentA, spentB] = pair[0] === a ? spent : [spent[1]!, spent[0]!];
  timeA += spentA!;
  timeB += spentB!;
  ratios.push(spentA! / spentB!);
}
ratios.sort((x, y) => x - y);
const rate = (micros: number): string => Math.round((TOTAL / micros) * 1e6).toLocaleString('en');
console.log(`A ${a.root}: ${rate(timeA)} events/s (CPU), ${a.matches().toLocaleString('en')} matches`);
console.log(`B ${b.root}: ${rate(timeB)} events/s (CPU), ${b.matches().toLocaleString('en')} matches`);
console.log(
  `B is ${(timeA / timeB).toFixed(3)}x as fast as A in all (median of the block pairs ${ratios[ratios.length >> 1]!.toFixed(3)})`,
);
