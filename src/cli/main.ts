/**
 * `loom`: argv -> command. Commands are loaded lazily so `loom check` does not
 * pay for the code of `loom hunt`.
 */
import type { Command } from './command.ts';
import { EXIT, UsageError, processIo, systemReason, type Io } from './io.ts';

/** Every command, in the order `loom --help` lists them. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<{ command: Command }> }> = {
  check: {
    summary: 'Validate detections and Sigma rules; report positioned diagnostics',
    load: () => import('./commands/check.ts'),
  },
  new: { summary: 'Scaffold a new detection document', load: () => import('./commands/new.ts') },
  import: {
    summary: 'Import Sigma rules as ADS detection documents',
    load: () => import('./commands/import.ts'),
  },
  test: {
    summary: 'Run the sample events of each detection against its Sigma rules',
    load: () => import('./commands/test.ts'),
  },
  hunt: {
    summary: 'Run Sigma rules over raw JSON logs (NDJSON, arrays, evtx_dump, gzip)',
    load: () => import('./commands/hunt.ts'),
  },
  bundle: {
    summary: 'Build the rules bundle (rules.json, schema.json, merged Sigma YAML) without the site',
    load: () => import('./commands/bundle.ts'),
  },
  build: {
    summary: 'Build the knowledge base and the rules bundle from one parse (check, bundle, site, search)',
    load: () => import('./commands/build.ts'),
  },
  attack: {
    summary: "Download MITRE's ATT&CK enterprise bundle for technique names (`loom attack update`)",
    load: () => import('./commands/attack.ts'),
  },
};

function globalHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'loom: detections as literate programs (ADS Markdown with Sigma, queries and sample events)',
    '',
    'Usage: loom <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    "Run `loom <command> --help` for a command's options.",
    'Exit codes: 0 clean, 1 errors or failures, 2 usage errors.',
    '',
  ].join('\n');
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(globalHelp());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout('loom 0.1.0\n');
    return EXIT.ok;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    const { suggest } = await import('../core/text/suggest.ts');
    const near = suggest(name, Object.keys(COMMANDS));
    io.stderr(
      `loom: Unexpected command \`${name}\`, expected ${
        near.length
          ? near.map((n) => `\`${n}\``).join(' or ')
          : 'one of ' +
            Object.keys(COMMANDS)
              .map((n) => `\`${n}\``)
              .join(', ')
      }\n`,
    );
    return EXIT.usage;
  }
  const { command } = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.help.endsWith('\n') ? command.help : command.help + '\n');
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ||
      (error as { code?: string }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' ||
      (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL'
    ) {
      io.stderr(`loom ${name}: ${(error as Error).message}\nRun \`loom ${name} --help\` for usage.\n`);
      return EXIT.usage;
    }
    // A file the system would not read or write (permissions, a full disk…): its path and why, no stack trace.
    const { syscall, path } = error as { syscall?: unknown; path?: unknown };
    if (typeof (error as { code?: unknown }).code === 'string' && typeof syscall === 'string') {
      const where = typeof path === 'string' ? ` \`${path}\`` : '';
      io.stderr(`loom ${name}: cannot ${syscall}${where}: ${systemReason(error)}\n`);
      return EXIT.usage;
    }
    throw error;
  }
}
