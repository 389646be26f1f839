import { statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** What a command may touch of the outside world, so tests can run commands in-process. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Current working directory; relative paths are resolved against it. */
  cwd: string;
  /** Whether stdout is a terminal (colour, progress bars). */
  isTTY: boolean;
  /** Environment variables. */
  env: Record<string, string | undefined>;
}

/** The real process as an {@link Io}. */
export function processIo(): Io {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    isTTY: Boolean(process.stdout.isTTY),
    env: process.env,
  };
}

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Thrown for bad arguments; the CLI prints the message and exits 2, never a stack trace. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A usage error for paths given that do not exist (none: nothing happens). */
export function assertPathsExist(missing: readonly string[]): void {
  if (missing.length)
    throw new UsageError(`Unexpected path ${missing.map((p) => `\`${p}\``).join(', ')}: no such file or folder`);
}

/**
 * Checks what a catalog load found under `paths`: a usage error for paths that
 * do not exist; when `found` is 0, a message on stderr and false (the command
 * exits {@link EXIT.usage}).
 */
export function foundDetections(
  io: Io,
  command: string,
  paths: readonly string[],
  missing: readonly string[],
  found: number,
  lookedFor = '.md files',
): boolean {
  assertPathsExist(missing);
  if (found > 0) return true;
  io.stderr(
    `loom ${command}: no detections found in ${paths.map((p) => `\`${p}\``).join(', ')} (looked for ${lookedFor})\n`,
  );
  return false;
}

/**
 * Fails early, before any work, when `--out FILE` cannot be written: the path is a folder, or its folder does not
 * exist (a long hunt should not end on that).
 */
export function assertOutFile(io: Io, out: string | undefined): void {
  if (out === undefined) return;
  const path = resolve(io.cwd, out);
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(`Unexpected --out \`${out}\`: it is a folder, expected a file`);
  if (!statSync(dirname(path), { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(`Unexpected --out \`${out}\`: its folder does not exist`);
}

/**
 * Writes `--out FILE` (relative to the working directory). A write the system refuses all the same (permissions, a
 * full disk) reaches `main`, which reports any such error by its path and reason.
 */
export function writeOutFile(io: Io, out: string, text: string): void {
  writeFileSync(resolve(io.cwd, out), text);
}

/** Why a file operation failed, in words (Node's system error codes), or the error's own message. */
export function systemReason(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder, expected a file';
    case 'ENOENT':
      return 'no such file or folder';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EROFS':
      return 'the file system is read-only';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
