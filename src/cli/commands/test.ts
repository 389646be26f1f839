/** `loom test [paths…]`: run every detection's sample events against its Sigma rules. */
import { parseArgs } from 'node:util';
import { loadCatalog } from '../../catalog/load.ts';
import { STATUSES } from '../../core/detection/frontmatter-fields.ts';
import { compareDiagnostics, countBySeverity, type Diagnostic } from '../../core/diagnostics.ts';
import { runDetectionTests, type DetectionTestResult } from '../../core/sigma/evaluate/run-tests.ts';
import type { Command } from '../command.ts';
import { commandConfig } from '../config.ts';
import { EXIT, UsageError, assertOutFile, foundDetections, writeOutFile } from '../io.ts';
import { oneOf, useColor } from '../options.ts';
import { REPORTERS } from '../report/index.ts';

const FORMATS = ['stylish', 'json', 'junit'] as const;

const help = `Usage: loom test [paths…] [options]

Runs the sample-event blocks of each detection (\`json expect=match\`,
\`json expect=no-match\` in Validation) against the detection's Sigma rules.
A match sample passes when every event matches a rule (for a correlation:
when it fires over the block's events); a no-match sample passes when no
event matches. A failure is reported at the failing event's line.
Folders are searched recursively. Default path: the catalog folder of the
"loom" entry in package.json (LOOM_DETECTIONS overrides it), else detections/

Options:
  -f, --format <name>        ${FORMATS.join(' | ')} (default: stylish)
                             junit writes JUnit XML: one test case per sample
  -o, --out <file>           write the report to a file instead of stdout
      --require-samples <s>  statuses that need at least one sample of each kind,
                             comma-separated, among experimental, test, stable
                             and deprecated (default: test,stable; "none" for none)
  -h, --help                 show this help

Exit codes: 0 every sample passes; 1 a sample fails, a required sample is
missing, or a rule cannot be evaluated; 2 usage errors, a path that does not
exist, or no detections found.
`;

/** `--require-samples`: the statuses named (a typo must not turn the requirement off without a word). */
function requiredStatuses(value: string | undefined): string[] {
  if (value === undefined) return ['test', 'stable'];
  if (value.trim() === 'none') return [];
  const names = value.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => !(STATUSES as readonly string[]).includes(n));
  if (unknown.length > 0)
    throw new UsageError(
      `Unexpected --require-samples ${unknown.map((n) => `\`${n}\``).join(', ')}, expected statuses among ${STATUSES.map((n) => `\`${n}\``).join(', ')}, comma-separated, or \`none\``,
    );
  return names;
}

/** The test command. */
export const command: Command = {
  name: 'test',
  help,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', short: 'f' },
        out: { type: 'string', short: 'o' },
        'require-samples': { type: 'string' },
      },
    });
    const format = oneOf('--format', values.format, [...FORMATS], 'stylish');
    assertOutFile(io, values.out);
    const required = requiredStatuses(values['require-samples']);
    let paths = positionals;
    if (paths.length === 0) {
      const config = commandConfig(io, 'test', 'no sample was run');
      if (!config) return EXIT.failed;
      paths = [config.detections];
    }
    const started = performance.now();
    const catalog = loadCatalog(paths, { cwd: io.cwd, sigmaFiles: false });
    if (!foundDetections(io, 'test', paths, catalog.missing, catalog.detections.length)) return EXIT.usage;
    const results = catalog.detections.map((d) => runDetectionTests(d, { requireSamplesFor: required }));
    const diagnostics: Diagnostic[] = results
      .flatMap((r) => [...r.diagnostics, ...r.samples.flatMap((s) => s.failures)])
      .map((d) => ({ ...d, file: d.file ?? '' }))
      .sort(compareDiagnostics);
    const seconds = (performance.now() - started) / 1000;
    const samples = results.flatMap((r) => r.samples);
    const passed = samples.filter((s) => s.passed).length;
    let report: string;
    if (format === 'junit') report = junit(results, seconds);
    else if (format === 'json')
      report =
        JSON.stringify(
          {
            summary: {
              detections: results.length,
              samples: samples.length,
              passed,
              failed: samples.length - passed,
              seconds,
            },
            detections: results,
            diagnostics,
          },
          null,
          2,
        ) + '\n';
    else {
      const color = !values.out && useColor(io.isTTY, io.env);
      const body = REPORTERS.stylish!({ diagnostics, fileCount: catalog.detections.length, color, seconds });
      report =
        body +
        `${passed}/${samples.length} samples passed in ${results.length} detection${results.length === 1 ? '' : 's'}\n`;
    }
    if (values.out) writeOutFile(io, values.out, report);
    else io.stdout(report);
    return countBySeverity(diagnostics).error > 0 ? EXIT.failed : EXIT.ok;
  },
};

function junit(results: DetectionTestResult[], seconds: number): string {
  const esc = (s: string): string =>
    s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
  const suites = results.map((r) => {
    const cases = r.samples.map((s) => {
      const failure = s.failures
        .map(
          (f) =>
            `      <failure message="${esc(f.message)}" type="${esc(f.ruleId)}">${esc(`${r.path}:${f.place?.start.line ?? 0}:${f.place?.start.column ?? 0}: ${f.message}`)}</failure>\n`,
        )
        .join('');
      return `    <testcase classname="${esc(r.path)}" name="${esc(`${s.name} (expect=${s.expect})`)}" file="${esc(r.path)}" line="${s.range.start.line}">\n${failure}    </testcase>\n`;
    });
    const errors = r.diagnostics
      .map(
        (d) =>
          `    <testcase classname="${esc(r.path)}" name="${esc(d.ruleId)}"><failure message="${esc(d.message)}" type="${esc(d.ruleId)}"/></testcase>\n`,
      )
      .join('');
    const failures =
      r.samples.filter((s) => !s.passed).length + r.diagnostics.filter((d) => d.severity === 'error').length;
    return `  <testsuite name="${esc(r.path)}" tests="${r.samples.length + r.diagnostics.length}" failures="${failures}">\n${cases.join('')}${errors}  </testsuite>\n`;
  });
  const tests = results.reduce((n, r) => n + r.samples.length + r.diagnostics.length, 0);
  const failures = results.reduce(
    (n, r) =>
      n + r.samples.filter((s) => !s.passed).length + r.diagnostics.filter((d) => d.severity === 'error').length,
    0,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="loom test" tests="${tests}" failures="${failures}" time="${seconds.toFixed(3)}">\n${suites.join('')}</testsuites>\n`;
}
