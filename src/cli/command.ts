import type { Io } from './io.ts';

/** A `loom` subcommand. Each lives in `src/cli/commands/<name>.ts` and exports `command`; its one-line summary for `loom --help` is in src/cli/main.ts, so the help needs no command loaded. */
export interface Command {
  name: string;
  /** Full `loom <name> --help` text. */
  help: string;
  /** Runs the command and returns the exit code (0 clean, 1 failures, 2 usage). */
  run(argv: string[], io: Io): Promise<number>;
}
