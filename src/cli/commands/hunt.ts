/** `loom hunt --rules <paths> --events <paths>`: run Sigma rules over raw JSON logs, without a SIEM. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { loadCatalog } from '../../catalog/load.ts';
import type { EventView } from '../../core/events/view.ts';
import {
  DEFAULT_SCOPING_TABLE,
  extendScopingTable,
  LogsourceScope,
  readScopingTable,
} from '../../core/logsource/scope.ts';
import { flattenWindowsEvent } from '../../core/logsource/windows.ts';
import { CorrelationRunner, eventTime } from '../../core/sigma/evaluate/correlation.ts';
import { RuleEngine } from '../../core/sigma/evaluate/engine.ts';
import type { SigmaCorrelation, SigmaDocument } from '../../core/sigma/model.ts';
import { primarySigmaDocument } from '../../core/sigma/primary.ts';
import type { Command } from '../command.ts';
import { readEvents, type RecordProblem } from '../events/read.ts';
import { EXIT, UsageError, assertOutFile, assertPathsExist, writeOutFile, type Io } from '../io.ts';
import { oneOf } from '../options.ts';

const FORMATS = ['table', 'jsonl', 'csv'] as const;
const EVENT_FILE = /\.(json|jsonl|ndjson|log|gz)$/i;

const help = `Usage: loom hunt --rules <paths…> --events <paths…> [options]

Runs Sigma rules over raw JSON logs and prints every match. Rules come from
detection documents (.md) and plain Sigma files (.yml, .yaml); folders are
searched recursively, so a SigmaHQ checkout works as it is. Events are read
as NDJSON, a JSON array, JSON objects one after another (SigmaHQ's regression
dumps), or evtx_dump output, optionally gzip-compressed; folders are searched
for .json, .jsonl, .ndjson, .log and .gz files. Windows evtx records are
flattened to the field names Sigma uses (EventData names, EventID, Channel,
Provider_Name, Computer…).

Logsource scoping is on: a rule only runs on events of its logsource, after
the table in src/docs/engine.md (Sysmon and Security for process_creation…). Rules
whose logsource is not in the table are skipped and counted. Use --no-scope to
run every rule on every event (for JSON logs the table does not describe).

Options:
  -r, --rules <path>       rules to run (repeatable, required)
  -e, --events <path>      event files or folders (repeatable, required)
  -f, --format <name>      ${FORMATS.join(' | ')} (default: table)
                           jsonl: one object per match with rule_id, rule_title,
                           level, file, event_index (0-based in its file), line, event
  -o, --out <file>         write matches to a file instead of stdout
      --no-scope           run every rule on every event
      --logsources <file>  extend the logsource table (JSON or YAML, same shape)
  -q, --quiet              no progress bar and no summary
  -h, --help               show this help

The summary (events, corrupt records, matches per rule, time) goes to stderr.
A corrupt record is reported with its file and line and the hunt goes on.
Exit codes: 0 the hunt ran (with or without matches); 1 some event files could
not be read; 2 usage errors (missing options, paths that do not exist).
`;

interface Match {
  rule_id: string;
  rule_title: string;
  level: string;
  file: string;
  event_index: number;
  line: number;
  event: Record<string, unknown>;
}

/** The hunt command. */
export const command: Command = {
  name: 'hunt',
  help,
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: {
        rules: { type: 'string', short: 'r', multiple: true },
        events: { type: 'string', short: 'e', multiple: true },
        format: { type: 'string', short: 'f' },
        out: { type: 'string', short: 'o' },
        'no-scope': { type: 'boolean' },
        logsources: { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
      },
    });
    const format = oneOf('--format', values.format, [...FORMATS], 'table');
    assertOutFile(io, values.out);
    if (!values.rules?.length) throw new UsageError('Unexpected missing `--rules`, expected rule files or folders');
    if (!values.events?.length) throw new UsageError('Unexpected missing `--events`, expected event files or folders');
    const started = performance.now();

    let scope: LogsourceScope | null = null;
    if (!values['no-scope']) {
      let table = DEFAULT_SCOPING_TABLE;
      if (values.logsources) {
        const path = resolve(io.cwd, values.logsources);
        let data: unknown;
        try {
          const text = readFileSync(path, 'utf8');
          data = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
        } catch (error) {
          throw new UsageError(`Unexpected logsource table \`${values.logsources}\`: ${(error as Error).message}`);
        }
        const read = readScopingTable(data);
        if (read.diagnostics.length) throw new UsageError(read.diagnostics.map((d) => d.message).join('; '));
        table = extendScopingTable(table, read.table);
      }
      scope = new LogsourceScope(table);
    }

    const catalog = loadCatalog(values.rules, { cwd: io.cwd, sigmaFiles: true });
    assertPathsExist(catalog.missing);
    const documents: SigmaDocument[] = [
      ...catalog.detections.flatMap((d) => d.sigma),
      ...catalog.sigmaFiles.flatMap((s) => s.documents),
    ];
    // A detection document's rule is reported as the detection: its frontmatter id, title and severity.
    const meta = new Map<SigmaDocument, { id: string; title: string; level: string }>();
    for (const d of catalog.detections) {
      const primary = primarySigmaDocument(d.sigma);
      const fm = d.frontmatter;
      if (primary && fm) meta.set(primary, { id: fm.id, title: fm.title, level: fm.severity });
    }
    const describe = (
      doc: SigmaDocument,
      fallbackId: string,
    ): { rule_id: string; rule_title: string; level: string } => {
      const m = meta.get(doc);
      if (m) return { rule_id: m.id, rule_title: m.title, level: m.level };
      return {
        rule_id: doc.id ?? doc.name ?? fallbackId,
        rule_title: doc.title ?? doc.name ?? '',
        level: doc.level ?? '',
      };
    };
    const engine = new RuleEngine(documents, { scope });
    const correlations = documents.filter((d): d is SigmaCorrelation => d.type === 'correlation');
    const runner = correlations.length ? new CorrelationRunner(correlations) : null;

    const eventFiles = expandEventPaths(values.events, io.cwd);
    const out: string[] = [];
    // Standard output is written in blocks of about 64 KB when it is a file or a pipe (a write per match costs a
    // system call each); on a terminal each match shows at once.
    const block = io.isTTY ? 0 : 65_536;
    let buffered: string[] = [];
    let bufferedLength = 0;
    const flush = (): void => {
      if (buffered.length === 0) return;
      io.stdout(buffered.join(''));
      buffered = [];
      bufferedLength = 0;
    };
    const write = (text: string): void => {
      if (values.out) out.push(text);
      else {
        buffered.push(text);
        bufferedLength += text.length;
        if (bufferedLength >= block) flush();
      }
    };
    if (format === 'csv') write('rule_id,rule_title,level,file,event_index,line\n');
    const perRule = new Map<string, { title: string; count: number }>();
    const problems: RecordProblem[] = [];
    let events = 0;
    let matches = 0;
    let unreadable = 0;
    const progress = !values.quiet && io.isTTY ? progressBar(io) : null;
    const emit = (m: Match, eventJson?: string): void => {
      matches++;
      const entry = perRule.get(m.rule_id) ?? { title: m.rule_title, count: 0 };
      entry.count++;
      perRule.set(m.rule_id, entry);
      write(formatMatch(format, m, eventJson));
    };

    for (const file of eventFiles) {
      try {
        for await (const record of readEvents(
          file.absolute,
          file.display,
          (p) => problems.push(p),
          progress?.update(file.display),
        )) {
          events++;
          const view = engine.view(flattenWindowsEvent(record.value));
          const matched = engine.match(view);
          // An event several rules match is written as JSON once.
          const eventJson = format === 'jsonl' && matched.length > 1 ? JSON.stringify(record.value) : undefined;
          for (const r of matched)
            emit(
              {
                ...describe(r.rule, r.key),
                file: file.display,
                event_index: record.index,
                line: record.line,
                event: record.value,
              },
              eventJson,
            );
          if (runner && matched.length) {
            for (const alert of runner.push(
              matched.map((m) => m.rule),
              view as EventView,
              eventTime(view, events * 1000),
            ))
              emit({
                ...describe(alert.correlation, ''),
                file: file.display,
                event_index: record.index,
                line: record.line,
                event: { correlation: alert.correlation.correlationType, group: alert.group, count: alert.count },
              });
          }
        }
      } catch (error) {
        unreadable++;
        io.stderr(`loom hunt: ${file.display}: ${(error as Error).message}\n`);
      }
    }
    // Correlations with an upper bound (lt, lte, eq, neq) are judged when their window closes: at the end for
    // the windows still open. Such an alert points at no single event: its file and index are empty.
    if (runner)
      for (const alert of runner.flush())
        emit({
          ...describe(alert.correlation, ''),
          file: '',
          event_index: -1,
          line: 0,
          event: { correlation: alert.correlation.correlationType, group: alert.group, count: alert.count },
        });
    flush();
    progress?.done();
    if (values.out) writeOutFile(io, values.out, out.join(''));

    if (!values.quiet) {
      const seconds = (performance.now() - started) / 1000;
      const lines = [
        '',
        `${events.toLocaleString('en')} events in ${eventFiles.length} file${eventFiles.length === 1 ? '' : 's'}, ${matches.toLocaleString('en')} matches, ${seconds.toFixed(2)} s`,
        `${engine.rules.length} rules run${engine.skipped.length ? `, ${engine.skipped.length} skipped (logsource not in the table; --no-scope runs them)` : ''}${engine.problems.length ? `, ${engine.problems.length} rule problems (bad regex, unknown modifier…)` : ''}`,
      ];
      if (problems.length) {
        lines.push(`${problems.length} corrupt record${problems.length === 1 ? '' : 's'} skipped:`);
        for (const p of problems.slice(0, 20))
          lines.push(`  ${p.file}:${p.line}: ${p.index < 0 ? '' : `record ${p.index}: `}${p.reason}`);
        if (problems.length > 20) lines.push(`  … and ${problems.length - 20} more`);
      }
      const top = [...perRule.entries()].sort((a, b) => b[1].count - a[1].count);
      if (top.length) {
        lines.push('Matches per rule:');
        for (const [id, { title, count }] of top.slice(0, 30))
          lines.push(`  ${String(count).padStart(7)}  ${title}  (${id})`);
        if (top.length > 30) lines.push(`  … and ${top.length - 30} more rules`);
      }
      io.stderr(lines.join('\n') + '\n');
    }
    return unreadable ? EXIT.failed : EXIT.ok;
  },
};

function formatMatch(format: (typeof FORMATS)[number], m: Match, eventJson?: string): string {
  switch (format) {
    case 'jsonl': {
      if (eventJson === undefined) return JSON.stringify(m) + '\n';
      // The same text as JSON.stringify(m): `event` is the last key.
      const { event, ...rest } = m;
      void event;
      return `${JSON.stringify(rest).slice(0, -1)},"event":${eventJson}}\n`;
    }
    case 'csv':
      return (
        [m.rule_id, m.rule_title, m.level, m.file, String(m.event_index), String(m.line)].map(csvCell).join(',') + '\n'
      );
    default:
      return `${m.file}:${m.line} #${m.event_index}  ${m.level.padEnd(8)}  ${m.rule_title}  (${m.rule_id})\n`;
  }
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function expandEventPaths(paths: readonly string[], cwd: string): { absolute: string; display: string }[] {
  const out: { absolute: string; display: string }[] = [];
  const missing: string[] = [];
  const walk = (absolute: string, display: string, top: boolean): void => {
    let stat;
    try {
      stat = statSync(absolute);
    } catch {
      if (top) missing.push(display);
      return;
    }
    if (stat.isDirectory()) {
      for (const name of readdirSync(absolute).sort()) walk(join(absolute, name), join(display, name), false);
    } else if (top || EVENT_FILE.test(absolute)) out.push({ absolute, display });
  };
  for (const p of paths) walk(resolve(cwd, p), p, true);
  assertPathsExist(missing);
  return out;
}

function progressBar(io: Io): { update: (file: string) => (read: number, total: number) => void; done: () => void } {
  let last = 0;
  return {
    update: (file) => (read, total) => {
      const now = Date.now();
      if (now - last < 100 && read < total) return;
      last = now;
      const width = 30;
      const filled = total ? Math.round((read / total) * width) : 0;
      io.stderr(
        `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${total ? Math.round((read / total) * 100) : 0}% ${file.slice(-40)}\u001b[K`,
      );
    },
    done: () => io.stderr('\r\u001b[K'),
  };
}
