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
 * Sigma documents are kept as plain summaries (what the cross-file rules
 * read); a range a cross-file finding needs comes from reading that file
 * again. Worker threads were tried (main thread and workers taking batches
 * from a shared counter, plain results): on this 2-core machine V8's own GC
 * and compiler threads already use the second core, a worker costs ~0.3 s to
 * start and compiles the parser again, and 3,000 documents took 1.19 s
 * instead of 1.09 s (median of 5), so there are none.
 */
import { checkCatalog, type CatalogEntry } from '../core/catalog/rules.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import type { SigmaDocument, SourceRanges } from '../core/sigma/model.ts';
import { validateSigmaCatalog } from '../core/sigma/validate.ts';
import { checkFile, summarise, type CheckedFile, type ProcessorSlot, type SigmaSummary } from './check-file.ts';
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

/** Checks every file under `paths`, as `loadCatalog` would, without keeping the documents. */
export async function checkCatalogFiles(
  paths: readonly string[],
  options: Pick<LoadOptions, 'cwd' | 'sigmaFiles' | 'maxFileSize'>,
): Promise<CheckResult> {
  const { files, missing } = collectFiles(paths, options.cwd, { sigma: options.sigmaFiles ?? false });
  const maxSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const slot: ProcessorSlot = {};
  const checked: CheckedFile[] = [];
  for (const file of files) checked.push(await checkHere(file, maxSize, slot));

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

/**
 * Checks a file, keeping stand-ins for its Sigma documents: whole
 * SigmaDocuments, kept to the end, made every scavenge copy more (and peak
 * RSS 45 MB higher on 3,000 documents).
 */
async function checkHere(file: CatalogFile, maxSize: number, slot: ProcessorSlot): Promise<CheckedFile> {
  return withLazyRanges(summarise(await checkFile(file, slot, maxSize)), file, maxSize, slot);
}

/**
 * A file's result with stand-ins for its Sigma documents: what the
 * cross-file rules read, and ranges found by reading the file again (only
 * for the documents a finding names).
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
        // Only the fields the cross-file Sigma validators read (tests/catalog/check.test.ts compares with loadCatalog).
        return { ...summary, ranges } as unknown as SigmaDocument;
      }),
    },
  };
}
