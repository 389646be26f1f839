/**
 * A `loom check` worker: takes batches of files from the shared counter,
 * checks them and posts plain results ({@link summarise}) to the main thread,
 * which runs the cross-file rules.
 */
import { enableCompileCache } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import type { ProcessorSlot } from './check-file.ts';
import type { CatalogFile } from './files.ts';

// As src/cli/loom.js does for the main thread: a worker compiles its modules again otherwise (~0.35 s).
enableCompileCache?.();
const { checkFile, summarise } = await import('./check-file.ts');

/** What the main thread gives a worker. */
export interface CheckWorkerData {
  files: CatalogFile[];
  maxSize: number;
  /** One Int32: the index of the next unclaimed file. */
  next: SharedArrayBuffer;
  batch: number;
}

const { files, maxSize, next, batch } = workerData as CheckWorkerData;
const counter = new Int32Array(next);
const slot: ProcessorSlot = {};
for (;;) {
  const start = Atomics.add(counter, 0, batch);
  if (start >= files.length) break;
  const results = [];
  for (let i = start; i < Math.min(start + batch, files.length); i++) {
    results.push(summarise(await checkFile(files[i]!, slot, maxSize)));
  }
  parentPort!.postMessage({ start, results });
}
parentPort!.postMessage({ done: true });
