/**
 * Loads one file of a catalog: reads it (refusing what is too large, empty or
 * not UTF-8), parses it and checks it, with every problem as a diagnostic.
 * It imports the Markdown pipeline for its type only, so `loom check` can load
 * remark-parse and micromark when a document first needs them.
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { diagnostic, type Diagnostic } from '../core/diagnostics.ts';
import { buildDetection } from '../core/detection/build.ts';
import { FrontmatterSchemaMissing } from '../core/detection/frontmatter-schema-slot.ts';
import type { Detection } from '../core/detection/model.ts';
import type { SigmaDocument } from '../core/sigma/model.ts';
import { parseSigmaBlock } from '../core/sigma/parse.ts';
import { validateSigmaDocuments } from '../core/sigma/validate.ts';
import { wholeFile } from '../core/text/source.ts';
import { decodeUtf8 } from './decode.ts';
import { parseFastMarkdown } from './fast-markdown.ts';
import type { CatalogFile } from './files.ts';
import type { createDetectionProcessor } from './processor.ts';

/** Largest file Loom reads, in bytes (a detection is a few KB; 1 MiB is generous). */
export const DEFAULT_MAX_FILE_SIZE = 1024 * 1024;

/** A plain Sigma file of the catalog. */
export interface SigmaFileEntry {
  path: string;
  documents: SigmaDocument[];
}

/** What loading one file gives: its diagnostics (without `file`), and its detection or Sigma documents. */
export interface LoadedFile {
  diagnostics: Diagnostic[];
  detection?: Detection;
  sigma?: SigmaFileEntry;
}

/** The full Markdown pipeline (src/catalog/processor.ts). */
export type DetectionProcessor = ReturnType<typeof createDetectionProcessor>;

/**
 * Reads, parses and checks one file (the per-file part of `loadCatalog`).
 * Without a processor, a document the fast Markdown path does not take gives
 * `undefined`: load the pipeline and call again (`loom check` loads it only then).
 */
export function loadFile(file: CatalogFile, processor: DetectionProcessor, maxSize: number): LoadedFile;
export function loadFile(
  file: CatalogFile,
  processor: DetectionProcessor | undefined,
  maxSize: number,
): LoadedFile | undefined;
export function loadFile(
  file: CatalogFile,
  processor: DetectionProcessor | undefined,
  maxSize: number,
): LoadedFile | undefined {
  const read = readFileBytes(file.absolute, maxSize);
  if ('diagnostics' in read) return read;
  const bytes = read.bytes;
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
  // The fast path builds the same tree as remark-parse for common documents, in a fraction of the time,
  // and hands it to what remark-detection runs, the pipeline's only transformer (tests/catalog/processor.test.ts
  // pins the plugin list). Without the pipeline, zod is not loaded either: frontmatter that needs the schema
  // sends the document to the caller, which loads the pipeline (and the schema) and calls again.
  const fast = parseFastMarkdown(text);
  let detection: Detection | undefined;
  if (fast) {
    try {
      detection = buildDetection(fast, { path: file.display, text });
    } catch (error) {
      if (!(error instanceof FrontmatterSchemaMissing)) throw error;
    }
  }
  if (!detection) {
    if (!processor) return undefined;
    // What `processor.runSync` would do with its only transformer, without a VFile to report to.
    detection = buildDetection(processor.parse(text), { path: file.display, text });
  }
  return { diagnostics: [...decoded.diagnostics, ...detection.diagnostics], detection };
}

/**
 * The bytes of a file of at most `maxSize` bytes, or the diagnostic that
 * refuses it. The common case costs open, fstat, read and close; when the
 * file cannot be opened, the checks run in their first order (stat, size,
 * read) so the diagnostic is the one they give.
 */
function readFileBytes(path: string, maxSize: number): { bytes: Uint8Array } | { diagnostics: Diagnostic[] } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return readFileBytesByPath(path, maxSize);
  }
  try {
    const size = fstatSync(fd).size;
    if (size > maxSize) return { diagnostics: [tooLarge(size, maxSize)] };
    return { bytes: readExactly(fd, size) };
  } catch (error) {
    return { diagnostics: [unreadable(error)] };
  } finally {
    closeSync(fd);
  }
}

/** {@link readFileBytes} for a file that did not open: stat first, as loadFile always did. */
function readFileBytesByPath(path: string, maxSize: number): { bytes: Uint8Array } | { diagnostics: Diagnostic[] } {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (error) {
    return { diagnostics: [unreadable(error)] };
  }
  if (size > maxSize) return { diagnostics: [tooLarge(size, maxSize)] };
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    return { diagnostics: [unreadable(error)] };
  }
  try {
    return { bytes: readExactly(fd, size) };
  } catch (error) {
    return { diagnostics: [unreadable(error)] };
  } finally {
    closeSync(fd);
  }
}

function unreadable(error: unknown): Diagnostic {
  return diagnostic(
    'file/unreadable',
    'error',
    `Unexpected unreadable file (${(error as Error).message}), expected a readable file`,
  );
}

function tooLarge(size: number, maxSize: number): Diagnostic {
  return diagnostic(
    'file/too-large',
    'error',
    `Unexpected file of ${formatBytes(size)}, expected at most ${formatBytes(maxSize)} (raise it with \`--max-file-size\`)`,
    { place: { line: 1, column: 1 } },
  );
}

/** Reads a file of known size in one go (no growing buffers for big files). */
function readExactly(fd: number, size: number): Uint8Array {
  const buffer = new Uint8Array(size);
  let read = 0;
  while (read < size) {
    const n = readSync(fd, buffer, read, size - read, read);
    if (n === 0) break;
    read += n;
  }
  return read === size ? buffer : buffer.subarray(0, read);
}

/** `1.5 MiB`, `912 KiB`, `12 B`. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1).replace(/\.0$/, '')} KiB`;
  return `${n} B`;
}
