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
