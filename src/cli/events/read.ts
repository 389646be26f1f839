/**
 * Streams JSON events from files: NDJSON, a JSON array, concatenated objects,
 * evtx_dump output, each optionally gzip-compressed (detected by its magic
 * bytes, not its name). Memory stays bounded: one chunk and the record being
 * read. Broken records are reported through `onProblem` with their line, and
 * reading goes on.
 */
import { createReadStream, openSync, readSync, closeSync, statSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { JsonRecordScanner, type RecordItem } from '../../core/events/records.ts';

/** A corrupt record: where it starts and why it was skipped. */
export interface RecordProblem {
  file: string;
  line: number;
  /** The record's index in its file; -1 when the file itself could not be read past `line` (a cut-short gzip file). */
  index: number;
  reason: string;
}

/** Progress while reading: compressed bytes read and the file's size. */
export type ProgressListener = (bytesRead: number, bytesTotal: number) => void;

/** Whether a file starts with the gzip magic bytes. */
export function isGzip(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/**
 * Yields every good record of a file, in order, with its 0-based index among
 * all records of the file (broken ones count too, so indexes stay stable).
 */
export async function* readEvents(
  path: string,
  display: string,
  onProblem: (problem: RecordProblem) => void,
  onProgress?: ProgressListener,
): AsyncGenerator<{ index: number; line: number; value: Record<string, unknown> }> {
  const total = statSync(path).size;
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  let read = 0;
  raw.on('data', (chunk) => {
    read += chunk.length;
    onProgress?.(read, total);
  });
  const stream = isGzip(path) ? raw.pipe(createGunzip()) : raw;
  const decoder = new TextDecoder('utf-8');
  let pending: RecordItem[] = [];
  const scanner = new JsonRecordScanner((item) => pending.push(item));
  const drain = function* (): Generator<{ index: number; line: number; value: Record<string, unknown> }> {
    const items = pending;
    pending = [];
    for (const item of items) {
      if (item.ok) yield { index: item.index, line: item.line, value: item.value };
      else onProblem({ file: display, line: item.line, index: item.index, reason: item.reason });
    }
  };
  try {
    for await (const chunk of stream) {
      scanner.feed(decoder.decode(chunk as Buffer, { stream: true }));
      yield* drain();
    }
  } catch (error) {
    // The file itself (not one record) could not be read on: a cut-short gzip file, a disk error.
    onProblem({
      file: display,
      line: scanner.currentLine,
      index: -1,
      reason: `the file could not be read past this line: ${(error as Error).message}`,
    });
  }
  scanner.feed(decoder.decode());
  scanner.end();
  yield* drain();
}
