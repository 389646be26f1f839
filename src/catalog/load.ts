/**
 * Loads a catalog: every detection document and plain Sigma file under the
 * given paths, each parsed once, with every problem as a diagnostic. One bad
 * file never stops the others.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { VFile } from 'vfile';
import { checkCatalog } from '../core/catalog/rules.ts';
import { diagnostic, type Diagnostic } from '../core/diagnostics.ts';
import type { Detection } from '../core/detection/model.ts';
import type { SigmaDocument } from '../core/sigma/model.ts';
import { parseSigmaBlock } from '../core/sigma/parse.ts';
import { validateSigmaCatalog, validateSigmaDocuments } from '../core/sigma/validate.ts';
import { wholeFile } from '../core/text/source.ts';
import { decodeUtf8 } from './decode.ts';
import { parseFastMarkdown } from './fast-markdown.ts';
import { collectFiles, type CatalogFile } from './files.ts';
import { createDetectionProcessor } from './processor.ts';

/** Largest file Loom reads, in bytes (a detection is a few KB; 1 MiB is generous). */
export const DEFAULT_MAX_FILE_SIZE = 1024 * 1024;

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

/** A plain Sigma file of the catalog. */
export interface SigmaFileEntry {
  path: string;
  documents: SigmaDocument[];
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

/** What loading one file gives: its diagnostics (without `file`), and its detection or Sigma documents. */
export interface LoadedFile {
  diagnostics: Diagnostic[];
  detection?: Detection;
  sigma?: SigmaFileEntry;
}

/** Reads, parses and checks one file (the per-file part of {@link loadCatalog}). */
export function loadFile(
  file: CatalogFile,
  processor: ReturnType<typeof createDetectionProcessor>,
  maxSize: number,
): LoadedFile {
  let size: number;
  try {
    size = statSync(file.absolute).size;
  } catch (error) {
    return {
      diagnostics: [
        diagnostic(
          'file/unreadable',
          'error',
          `Unexpected unreadable file (${(error as Error).message}), expected a readable file`,
        ),
      ],
    };
  }
  if (size > maxSize) {
    return {
      diagnostics: [
        diagnostic(
          'file/too-large',
          'error',
          `Unexpected file of ${formatBytes(size)}, expected at most ${formatBytes(maxSize)} (raise it with \`--max-file-size\`)`,
          { place: { line: 1, column: 1 } },
        ),
      ],
    };
  }
  let bytes: Uint8Array;
  try {
    bytes = readExactly(file.absolute, size);
  } catch (error) {
    return {
      diagnostics: [
        diagnostic(
          'file/unreadable',
          'error',
          `Unexpected unreadable file (${(error as Error).message}), expected a readable file`,
        ),
      ],
    };
  }
  if (bytes.length === 0) {
    return {
      diagnostics: [
        diagnostic(
          'file/empty',
          'error',
          `Unexpected empty file, expected ${file.kind === 'sigma' ? 'a Sigma rule' : 'a detection document'}`,
          { place: { line: 1, column: 1 } },
        ),
      ],
    };
  }
  const decoded = decodeUtf8(bytes);
  if (decoded.text === undefined) return { diagnostics: decoded.diagnostics };
  const text = decoded.text;
  if (file.kind === 'sigma') {
    const parsed = parseSigmaBlock(wholeFile(text));
    return {
      diagnostics: [...decoded.diagnostics, ...parsed.diagnostics, ...validateSigmaDocuments(parsed.documents, {})],
      sigma: { path: file.display, documents: parsed.documents },
    };
  }
  const vfile = new VFile({ path: file.display, value: text });
  // The fast path builds the same tree as remark-parse for common documents, in a fraction of the time.
  processor.runSync(parseFastMarkdown(text) ?? processor.parse(vfile), vfile);
  const detection = vfile.data.detection!;
  return { diagnostics: [...decoded.diagnostics, ...detection.diagnostics], detection };
}

/** Reads a file of known size in one go (no growing buffers for big files). */
function readExactly(path: string, size: number): Uint8Array {
  const buffer = new Uint8Array(size);
  const fd = openSync(path, 'r');
  try {
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buffer, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return read === size ? buffer : buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** `1.5 MiB`, `912 KiB`, `12 B`. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1).replace(/\.0$/, '')} KiB`;
  return `${n} B`;
}
