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
