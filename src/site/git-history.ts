/**
 * Git history of the catalog's documents, for the detection pages: the last
 * change and the authors of each file. One `git log` process for the whole
 * catalog folder, parsed once, so 3,000 documents cost one process, not 3,000.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/** The history of one file. */
export interface FileHistory {
  /** The latest commit that changed the file. */
  last: { commit: string; shortCommit: string; date: string; author: string; subject: string };
  /** Distinct author names, most commits first (then by name). */
  authors: string[];
  /** Number of commits that changed the file. */
  commits: number;
}

/** Record separator before each commit; unit separator between its fields. */
const RS = '\x1e';
const US = '\x1f';

/** The `--format` of {@link readGitHistory}: hash, short hash, committer date, author (mailmap), subject. */
export const GIT_LOG_FORMAT = `${RS}%H${US}%h${US}%cI${US}%aN${US}%s`;

/**
 * Parses `git log -z --name-only --format=GIT_LOG_FORMAT` (newest commit
 * first) into the history of each file, keyed by the path git printed.
 */
export function parseGitLog(output: string): Map<string, FileHistory> {
  const files = new Map<string, { history: FileHistory; counts: Map<string, number> }>();
  for (const record of output.split(RS)) {
    if (!record.trim()) continue;
    const end = record.indexOf('\0');
    const header = end === -1 ? record : record.slice(0, end);
    const [commit, shortCommit, date, author, subject = ''] = header.split(US);
    if (!commit || !shortCommit || !date || author === undefined) continue;
    const names = end === -1 ? [] : record.slice(end + 1).split('\0');
    for (const raw of names) {
      const path = raw.replace(/^\n/, '');
      if (!path) continue;
      let entry = files.get(path);
      if (!entry) {
        entry = {
          history: { last: { commit, shortCommit, date, author, subject }, authors: [], commits: 0 },
          counts: new Map(),
        };
        files.set(path, entry);
      }
      entry.history.commits++;
      entry.counts.set(author, (entry.counts.get(author) ?? 0) + 1);
    }
  }
  const result = new Map<string, FileHistory>();
  for (const [path, { history, counts }] of files) {
    history.authors = [...counts]
      .sort(([a, m], [b, n]) => n - m || a.localeCompare(b, 'en'))
      .map(([name]) => name)
      .filter(Boolean);
    result.set(path, history);
  }
  return result;
}

/**
 * The history of every file under `folder`, keyed by absolute path. Empty when
 * git is missing, `folder` is not in a work tree, or it has no commits: the
 * pages then show no history, and nothing fails.
 */
export function readGitHistory(folder: string): Map<string, FileHistory> {
  const dir = resolve(folder);
  const run = spawnSync(
    'git',
    // -z: NUL-separated, unquoted names; no signatures or colours from the user's config in the output
    [
      '-c',
      'core.quotepath=off',
      '-c',
      'log.showSignature=false',
      'log',
      '--no-color',
      '-z',
      '--relative',
      '--name-only',
      `--format=${GIT_LOG_FORMAT}`,
      '--',
      '.',
    ],
    { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'], windowsHide: true },
  );
  if (run.error || run.status !== 0 || !run.stdout) return new Map();
  const byAbsolute = new Map<string, FileHistory>();
  for (const [path, history] of parseGitLog(run.stdout)) byAbsolute.set(resolve(dir, path), history);
  return byAbsolute;
}
