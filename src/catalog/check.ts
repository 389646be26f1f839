/**
 * `loom check`'s view of a catalog: the same files, per-file checks and
 * cross-file rules as {@link loadCatalog}, and the same diagnostics in the same
 * order (tests/catalog/check.test.ts compares them), but it keeps only what
 * the cross-file rules read of each file. loadCatalog keeps every Detection
 * with its Markdown tree for the bundle and the site; over 3,000 documents
 * that retention tripled the time spent in garbage collection. It imports
 * remark-parse and micromark (~0.1 s) only when a document is outside the fast
 * Markdown path.
 *
 * Large catalogs are checked in parallel: worker threads and the main thread
 * take batches of files from a shared counter; workers send plain per-file
 * results (src/catalog/check-file.ts) and the main thread, which keeps the
 * results in file order, runs the cross-file rules. A Sigma range a
 * cross-file finding needs, for a file a worker read, comes from reading that
 * file again here. It is off unless asked for (`workers`, or the
 * LOOM_CHECK_WORKERS variable): on this 2-core machine a worker takes ~0.3 s
 * to start and JIT-compiles the parser again, and the wall time it saved on
 * 3,000 documents did not pay for that (measured in the commit that added it).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { checkCatalog, type CatalogEntry } from '../core/catalog/rules.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import type { SigmaDocument, SourceRanges } from '../core/sigma/model.ts';
import { validateSigmaCatalog } from '../core/sigma/validate.ts';
import { checkFile, summarise, type CheckedFile, type ProcessorSlot, type SigmaSummary } from './check-file.ts';
import type { CheckWorkerData } from './check-worker.ts';
import { collectFiles, type CatalogFile } from './files.ts';
import type { LoadOptions } from './load.ts';
import { DEFAULT_MAX_FILE_SIZE, loadFile } from './read-file.ts';

/** What `loom check` needs of a catalog. */
export interface CheckResult {
  /** Every diagnostic, each with its `file`, in `loadCatalog`'s order. */
  diagnostics: Diagnostic[];
  /** Files that were read (or refused). */
  fileCount: number;
  /** Paths given that do not exist. */
  missing: string[];
}

/** How `loom check` spreads the work. */
export interface CheckOptions extends Pick<LoadOptions, 'cwd' | 'sigmaFiles' | 'maxFileSize'> {
  /** Fewest files checked with worker threads (a worker takes ~0.2 s to start); default 500. */
  parallelFrom?: number;
  /** Worker threads besides the main thread; default `LOOM_CHECK_WORKERS`, else none. */
  workers?: number;
  /** Whether the main thread checks files too when there are workers (tests turn it off); default true. */
  mainChecks?: boolean;
}

/** Files a thread claims at a time. */
const BATCH = 32;

/** Checks every file under `paths`, as `loadCatalog` would, without keeping the documents. */
export async function checkCatalogFiles(paths: readonly string[], options: CheckOptions): Promise<CheckResult> {
  const { files, missing } = collectFiles(paths, options.cwd, { sigma: options.sigmaFiles ?? false });
  const maxSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const slot: ProcessorSlot = {};
  const workers = files.length >= (options.parallelFrom ?? 500) ? (options.workers ?? defaultWorkers()) : 0;
  const checked = workers > 0 ? await checkParallel(files, maxSize, slot, workers, options.mainChecks ?? true) : [];
  if (workers === 0) for (const file of files) checked.push(await checkHere(file, maxSize, slot));

  const diagnostics: Diagnostic[] = [];
  const detections: CatalogEntry[] = [];
  const detectionEntries: { file: string; documents: SigmaDocument[] }[] = [];
  const sigmaEntries: { file: string; documents: SigmaDocument[] }[] = [];
  for (const found of checked) {
    diagnostics.push(...found.diagnostics);
    if (found.detection) detections.push(found.detection);
    if (found.sigma) (found.detection ? detectionEntries : sigmaEntries).push(found.sigma);
  }
  diagnostics.push(...checkCatalog(detections));
  diagnostics.push(...validateSigmaCatalog([...detectionEntries, ...sigmaEntries]));
  return { diagnostics, fileCount: files.length, missing: missing.map((m) => m.path) };
}

/** `LOOM_CHECK_WORKERS` when set (for measuring), else none: see the note at the top. */
function defaultWorkers(): number {
  const set = Number(process.env['LOOM_CHECK_WORKERS']);
  return Number.isInteger(set) && set >= 0 ? Math.min(set, availableParallelism() * 2) : 0;
}

/** Checks the files on the main thread and `count` workers; the results in file order. */
async function checkParallel(
  files: CatalogFile[],
  maxSize: number,
  slot: ProcessorSlot,
  count: number,
  mainChecks: boolean,
): Promise<CheckedFile[]> {
  const results: CheckedFile[] = new Array<CheckedFile>(files.length);
  const next = new SharedArrayBuffer(4);
  const counter = new Int32Array(next);
  const data: CheckWorkerData = { files, maxSize, next, batch: BATCH };
  let slow = false;
  const done = Array.from(
    { length: count },
    () =>
      new Promise<void>((resolve, reject) => {
        const worker = new Worker(new URL('./check-worker.ts', import.meta.url), { workerData: data });
        worker.on('message', (message: { done?: true; start: number; results: CheckedFile<SigmaSummary>[] }) => {
          if (message.done) return resolve();
          message.results.forEach((result, i) => {
            const index = message.start + i;
            slow ||= result.slow === true;
            results[index] = withLazyRanges(result, files[index]!, maxSize, slot);
          });
        });
        worker.on('error', reject);
        worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`check worker exited with ${code}`))));
      }),
  );
  while (mainChecks) {
    const start = Atomics.add(counter, 0, BATCH);
    if (start >= files.length) break;
    for (let i = start; i < Math.min(start + BATCH, files.length); i++) {
      results[i] = await checkHere(files[i]!, maxSize, slot);
    }
  }
  await Promise.all(done);
  // A range of a document outside the fast Markdown path needs the pipeline, loaded here once.
  if (slow && !slot.processor) slot.processor = (await import('./processor.ts')).createDetectionProcessor();
  return results;
}

/**
 * Checks a file on this thread, keeping the same stand-ins as for a worker's
 * files: whole SigmaDocuments and file texts, kept to the end, made every
 * scavenge copy more.
 */
async function checkHere(file: CatalogFile, maxSize: number, slot: ProcessorSlot): Promise<CheckedFile> {
  return withLazyRanges(summarise(await checkFile(file, slot, maxSize)), file, maxSize, slot);
}

/**
 * A worker's result with stand-ins for its Sigma documents: what the
 * cross-file rules read, and ranges found by reading the file again (on
 * the main thread, only for the documents a finding names).
 */
function withLazyRanges(
  result: CheckedFile<SigmaSummary>,
  file: CatalogFile,
  maxSize: number,
  slot: ProcessorSlot,
): CheckedFile {
  const { sigma, ...rest } = result;
  if (!sigma) return rest;
  let documents: SigmaDocument[] | undefined;
  const reread = (index: number): SourceRanges | undefined => {
    if (!documents) {
      const found = loadFile(file, slot.processor, maxSize);
      documents = found?.detection?.sigma ?? found?.sigma?.documents ?? [];
    }
    return documents[index]?.ranges;
  };
  return {
    ...rest,
    sigma: {
      file: sigma.file,
      documents: sigma.documents.map((summary, index) => {
        const ranges: SourceRanges = {
          key: (path) => reread(index)?.key(path),
          value: (path) => reread(index)?.value(path),
        };
        // Only the fields the cross-file Sigma validators read (tests/catalog/check.test.ts runs them both ways).
        return { ...summary, ranges } as unknown as SigmaDocument;
      }),
    },
  };
}
