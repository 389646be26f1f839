import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGitLog, readGitHistory } from '../../src/site/git-history.ts';
import { pageHistory } from '../../src/site/pages.ts';

const commit = (hash: string, date: string, author: string, subject: string, files: string[]) =>
  `\x1e${hash}\x1f${hash.slice(0, 7)}\x1f${date}\x1f${author}\x1f${subject}\0\n${files.map((f) => `${f}\0`).join('')}`;

describe('parseGitLog', () => {
  const output =
    commit('c'.repeat(40), '2025-03-01T10:00:00+01:00', 'Bea', 'Tune encoded PowerShell', ['windows/a.md']) +
    commit('b'.repeat(40), '2025-02-01T10:00:00+01:00', 'Ann', 'Add two: with a colon\x1f', [
      'windows/a.md',
      'linux/sp ace é.md',
    ]) +
    commit('a'.repeat(40), '2025-01-01T10:00:00+01:00', 'Bea', 'First', ['windows/a.md']) +
    // a merge commit lists no files
    `\x1e${'d'.repeat(40)}\x1fddddddd\x1f2024-12-01T00:00:00Z\x1fCid\x1fMerge\0\n`;

  it('keeps the newest commit of each file as its last change', () => {
    const history = parseGitLog(output);
    expect([...history.keys()].sort()).toEqual(['linux/sp ace é.md', 'windows/a.md']);
    expect(history.get('windows/a.md')).toEqual({
      last: {
        commit: 'c'.repeat(40),
        shortCommit: 'ccccccc',
        date: '2025-03-01T10:00:00+01:00',
        author: 'Bea',
        subject: 'Tune encoded PowerShell',
      },
      authors: ['Bea', 'Ann'],
      commits: 3,
    });
    expect(history.get('linux/sp ace é.md')).toMatchObject({
      last: { shortCommit: 'bbbbbbb', author: 'Ann', subject: 'Add two: with a colon' },
      authors: ['Ann'],
      commits: 1,
    });
  });

  it('orders authors by commits, then by name', () => {
    const out =
      commit('1'.repeat(40), '2025-01-03T00:00:00Z', 'Zed', 's', ['f.md']) +
      commit('2'.repeat(40), '2025-01-02T00:00:00Z', 'Amy', 's', ['f.md']) +
      commit('3'.repeat(40), '2025-01-01T00:00:00Z', 'Bob', 's', ['f.md']) +
      commit('4'.repeat(40), '2025-01-01T00:00:00Z', 'Bob', 's', ['f.md']);
    expect(parseGitLog(out).get('f.md')!.authors).toEqual(['Bob', 'Amy', 'Zed']);
  });

  it.each([[''], ['\n'], ['garbage without separators']])('gives nothing for %j', (text) => {
    expect(parseGitLog(text).size).toBe(0);
  });
});

describe('readGitHistory', () => {
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', args, {
      cwd,
      stdio: 'ignore',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: args.includes('second') ? 'Second Author' : 'First Author',
        GIT_AUTHOR_EMAIL: 'a@example.com',
        GIT_COMMITTER_NAME: 'Committer',
        GIT_COMMITTER_EMAIL: 'c@example.com',
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
      },
    });

  it('reads the last change and authors of each file with one git log', () => {
    const repo = mkdtempSync(join(tmpdir(), 'loom-git-'));
    mkdirSync(join(repo, 'detections/windows'), { recursive: true });
    writeFileSync(join(repo, 'detections/windows/a.md'), 'one\n');
    writeFileSync(join(repo, 'detections/windows/b.md'), 'one\n');
    writeFileSync(join(repo, 'outside.md'), 'one\n');
    git(repo, 'init', '-q');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'first');
    writeFileSync(join(repo, 'detections/windows/a.md'), 'two\n');
    git(repo, 'commit', '-q', '-a', '-m', 'second');

    const history = readGitHistory(join(repo, 'detections'));
    expect([...history.keys()].sort()).toEqual([
      join(repo, 'detections/windows/a.md'),
      join(repo, 'detections/windows/b.md'),
    ]);
    const a = history.get(join(repo, 'detections/windows/a.md'))!;
    expect(a.last.subject).toBe('second');
    expect(a.last.author).toBe('Second Author');
    expect(a.last.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(a.last.commit.startsWith(a.last.shortCommit)).toBe(true);
    expect(Number.isNaN(Date.parse(a.last.date))).toBe(false);
    expect(a.authors).toEqual(['First Author', 'Second Author']);
    expect(a.commits).toBe(2);
    const b = history.get(join(repo, 'detections/windows/b.md'))!;
    expect(b).toMatchObject({ last: { subject: 'first' }, authors: ['First Author'], commits: 1 });
  });

  it('gives nothing, and no error, outside a git work tree', () => {
    const dir = mkdtempSync(join(tmpdir(), 'loom-nogit-'));
    writeFileSync(join(dir, 'a.md'), 'x\n');
    expect(readGitHistory(dir).size).toBe(0);
  });

  it('gives nothing for a folder that does not exist', () => {
    expect(readGitHistory(join(tmpdir(), 'loom-no-such-folder-', String(process.pid))).size).toBe(0);
  });
});

describe('pageHistory', () => {
  const history = parseGitLog(
    `\x1e${'e'.repeat(40)}\x1feeeeeee\x1f2025-03-01T23:30:00-05:00\x1fBea\x1fTune it\0\na.md\0`,
  ).get('a.md')!;

  it('shows the day as committed, the short commit, the subject and the authors', () => {
    expect(pageHistory(history)).toEqual({
      date: '2025-03-01T23:30:00-05:00',
      day: '2025-03-01',
      commit: 'e'.repeat(40),
      shortCommit: 'eeeeeee',
      subject: 'Tune it',
      authors: ['Bea'],
      commits: 1,
    });
  });

  it('links the commit when the repository URL is known', () => {
    expect(pageHistory(history, (c) => `https://github.com/o/r/commit/${c}`).commitUrl).toBe(
      `https://github.com/o/r/commit/${'e'.repeat(40)}`,
    );
    expect(pageHistory(history, () => undefined)).not.toHaveProperty('commitUrl');
  });
});
