/**
 * `loom check`'s view of a catalog: the same files, per-file checks and
 * cross-file rules as {@link loadCatalog}, and the same diagnostics in the same
 * order (tests/catalog/check.test.ts compares them), but it keeps only what
 * the cross-file rules read of each file. loadCatalog keeps every Detection
 * with its Markdown tree for the bundle and the site; over 3,000 documents
 * that retention tripled the time spent in garbage collection. It imports
 * remark-parse and micromark (~0.1 s) only when a document is outside the fast
 * Markdown path.
 */
import { checkCatalog, type CatalogEntry } from '../core/catalog/rules.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import type { SigmaDocument } from '../core/sigma/model.ts';
import { validateSigmaCatalog } from '../core/sigma/validate.ts';
import { collectFiles } from './files.ts';
import type { LoadOptions } from './load.ts';
import { DEFAULT_MAX_FILE_SIZE, loadFile, type DetectionProcessor } from './read-file.ts';

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
  let processor: DetectionProcessor | undefined;
  const maxSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const diagnostics: Diagnostic[] = [];
  const detections: CatalogEntry[] = [];
  const detectionEntries: { file: string; documents: SigmaDocument[] }[] = [];
  const sigmaEntries: { file: string; documents: SigmaDocument[] }[] = [];
  for (const file of files) {
    let found = loadFile(file, processor, maxSize);
    if (!found) {
      processor = (await import('./processor.ts')).createDetectionProcessor();
      found = loadFile(file, processor, maxSize);
    }
    for (const d of found.diagnostics) d.file ??= file.display;
    diagnostics.push(...found.diagnostics);
    if (found.detection) {
      const { path, rawFrontmatter, frontmatterLines, frontmatter } = found.detection;
      detections.push({
        path,
        rawFrontmatter,
        frontmatterLines,
        frontmatter: frontmatter && { title: frontmatter.title },
      });
      detectionEntries.push({ file: path, documents: found.detection.sigma });
    }
    if (found.sigma) sigmaEntries.push({ file: found.sigma.path, documents: found.sigma.documents });
  }
  diagnostics.push(...checkCatalog(detections));
  diagnostics.push(...validateSigmaCatalog([...detectionEntries, ...sigmaEntries]));
  return { diagnostics, fileCount: files.length, missing: missing.map((m) => m.path) };
}
