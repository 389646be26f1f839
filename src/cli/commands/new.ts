/** `loom new "<title>"`: scaffold a detection document. */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { scaffoldDetection } from '../../core/detection/scaffold.ts';
import { slugify } from '../../core/text/slug.ts';
import type { Command } from '../command.ts';
import { EXIT, UsageError } from '../io.ts';

const help = `Usage: loom new "<title>" [options]

Scaffolds detections/<platform>/<slug>.md with a fresh UUID, today's date,
every ADS section with a line of guidance, an empty sigma block, and one
match and one no-match sample. Never overwrites an existing file.
\`loom check\` passes on the result apart from to-do warnings.

Options:
  -p, --platform <name>   platform folder (default: windows)
      --dir <path>        catalog folder (default: detections)
      --owner <name>      owner team (default: detection-engineering)
      --author <name>     author (default: git user.name, else the OS user)
  -h, --help              show this help

Exit codes: 0 written; 1 the file exists; 2 usage errors.
`;

/** The new command. */
export const command: Command = {
  name: 'new',
  help,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        platform: { type: 'string', short: 'p' },
        dir: { type: 'string' },
        owner: { type: 'string' },
        author: { type: 'string' },
      },
    });
    const title = positionals.join(' ').trim();
    if (!title) throw new UsageError('Unexpected missing title, expected `loom new "<title>"`');
    const slug = slugify(title);
    if (!slug)
      throw new UsageError(`Unexpected title \`${title}\`, expected letters or digits to make a file name from`);
    const platform = slugify(values.platform ?? 'windows');
    if (!platform)
      throw new UsageError(`Unexpected platform \`${values.platform}\`, expected a name such as \`windows\``);
    const path = resolve(io.cwd, values.dir ?? 'detections', platform, `${slug}.md`);
    const shown = relative(io.cwd, path) || path;
    if (existsSync(path)) {
      io.stderr(`loom new: ${shown} already exists; not overwriting it (choose another title or edit that file)\n`);
      return EXIT.failed;
    }
    const text = scaffoldDetection({
      id: randomUUID(),
      title,
      date: new Date().toISOString().slice(0, 10),
      platform,
      owner: values.owner ?? 'detection-engineering',
      author: values.author ?? gitUser(io.cwd) ?? userInfo().username,
    });
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text, { flag: 'wx' });
    io.stdout(`Created ${join(shown)}\nNext: write each TODO, then run \`loom check ${shown}\`.\n`);
    return EXIT.ok;
  },
};

function gitUser(cwd: string): string | undefined {
  try {
    // Lazy: only `loom new` pays for spawning git.
    const { execFileSync } = process.getBuiltinModule('node:child_process');
    const name = execFileSync('git', ['config', 'user.name'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return name || undefined;
  } catch {
    return undefined;
  }
}
