/**
 * Loads a catalog: every detection document and plain Sigma file under the
 * given paths, each parsed once, with every problem as a diagnostic. One bad
 * file never stops the others.
 */
import { checkCatalog } from '../core/catalog/rules.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import type { Detection } from '../core/detection/model.ts';
import { validateSigmaCatalog } from '../core/sigma/validate.ts';
import { collectFiles } from './files.ts';
import { createDetectionProcessor } from './processor.ts';
import { DEFAULT_MAX_FILE_SIZE, loadFile, type SigmaFileEntry } from './read-file.ts';

export { DEFAULT_MAX_FILE_SIZE, formatBytes, loadFile, type LoadedFile, type SigmaFileEntry } from './read-file.ts';

/** Options for {@link loadCatalog}. */
export interface LoadOptions {
  /** Directory relative paths are resolved against. */
  cwd: string;
  /** Also load `.yml`/`.yaml` files found in folders as plain Sigma rules. */
  sigmaFiles?: boolean;
  /** Refuse files larger than this many bytes. */
  maxFileSize?: number;
  /** Called after each file, for progress on long runs. */
  onFile?: (done: number, total: number) => void;
}

/** Everything loaded, and everything wrong. */
export interface Catalog {
  detections: Detection[];
  sigmaFiles: SigmaFileEntry[];
  /** Every diagnostic, each with its `file`. */
  diagnostics: Diagnostic[];
  /** Files that were read (or refused). */
  fileCount: number;
  /** Paths given that do not exist. */
  missing: string[];
}

/** Loads and checks every file under `paths`. */
export function loadCatalog(paths: readonly string[], options: LoadOptions): Catalog {
  const { files, missing } = collectFiles(paths, options.cwd, { sigma: options.sigmaFiles ?? false });
  const processor = createDetectionProcessor();
  const maxSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const detections: Detection[] = [];
  const sigmaFiles: SigmaFileEntry[] = [];
  const diagnostics: Diagnostic[] = [];
  files.forEach((file, i) => {
    const found = loadFile(file, processor, maxSize);
    for (const d of found.diagnostics) d.file ??= file.display;
    diagnostics.push(...found.diagnostics);
    if (found.detection) detections.push(found.detection);
    if (found.sigma) sigmaFiles.push(found.sigma);
    options.onFile?.(i + 1, files.length);
  });
  diagnostics.push(...checkCatalog(detections));
  const entries = [
    ...detections.map((d) => ({ file: d.path, documents: d.sigma })),
    ...sigmaFiles.map((s) => ({ file: s.path, documents: s.documents })),
  ];
  diagnostics.push(...validateSigmaCatalog(entries));
  return { detections, sigmaFiles, diagnostics, fileCount: files.length, missing: missing.map((m) => m.path) };
}
