/** `loom check [paths…]`: validate detections and Sigma rules. */
import { parseArgs } from 'node:util';
import { checkCatalogFiles } from '../../catalog/check.ts';
import { DEFAULT_MAX_FILE_SIZE } from '../../catalog/read-file.ts';
import { compareDiagnostics, countBySeverity } from '../../core/diagnostics.ts';
import type { Command } from '../command.ts';
import { EXIT, assertOutFile, foundDetections, writeOutFile } from '../io.ts';
import { defaultCatalogPath, integer, oneOf, useColor } from '../options.ts';
import { REPORTERS } from '../report/index.ts';

const FORMATS = Object.keys(REPORTERS);

const help = `Usage: loom check [paths…] [options]

Validates detection documents (.md) and plain Sigma rules (.yml, .yaml):
frontmatter, ADS sections, fenced blocks, Sigma syntax and semantics, sample
events, and cross-file checks (duplicate ids and titles, file names).
Folders are searched recursively. Default path: LOOM_DETECTIONS, else the
"detections" key of the "loom" entry in package.json, else detections/

Options:
  -f, --format <name>      ${FORMATS.join(' | ')} (default: stylish)
                           github prints workflow commands (pull request annotations);
                           sarif prints SARIF 2.1.0 for code scanning upload
  -o, --out <file>         write the report to a file instead of stdout
      --max-warnings <n>   exit 1 when there are more than n warnings (default: no limit)
  -q, --quiet              report errors only
      --max-file-size <n>  refuse files larger than n bytes (default: ${DEFAULT_MAX_FILE_SIZE})
  -h, --help               show this help

Exit codes: 0 clean; 1 errors, or warnings over --max-warnings;
2 usage errors, a path that does not exist, or no detections found.
`;

/** The check command. */
export const command: Command = {
  name: 'check',
  help,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', short: 'f' },
        out: { type: 'string', short: 'o' },
        'max-warnings': { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
        'max-file-size': { type: 'string' },
      },
    });
    const format = oneOf('--format', values.format, FORMATS, 'stylish');
    assertOutFile(io, values.out);
    const maxWarnings = integer('--max-warnings', values['max-warnings'], -1);
    const maxFileSize = integer('--max-file-size', values['max-file-size'], DEFAULT_MAX_FILE_SIZE);
    const paths = positionals.length ? positionals : [defaultCatalogPath(io.cwd, io.env)];

    const started = performance.now();
    const catalog = await checkCatalogFiles(paths, { cwd: io.cwd, sigmaFiles: true, maxFileSize });
    if (!foundDetections(io, 'check', paths, catalog.missing, catalog.fileCount, '.md, .yml and .yaml files'))
      return EXIT.usage;
    const all = [...catalog.diagnostics].sort(compareDiagnostics);
    const shown = values.quiet ? all.filter((d) => d.severity === 'error') : all;
    const report = REPORTERS[format]!({
      diagnostics: shown,
      fileCount: catalog.fileCount,
      color: !values.out && useColor(io.isTTY, io.env),
      seconds: (performance.now() - started) / 1000,
    });
    if (values.out) writeOutFile(io, values.out, report);
    else io.stdout(report);

    const counts = countBySeverity(all);
    if (counts.error > 0) return EXIT.failed;
    if (maxWarnings >= 0 && counts.warning > maxWarnings) {
      io.stderr(`loom check: ${counts.warning} warnings, more than --max-warnings ${maxWarnings}\n`);
      return EXIT.failed;
    }
    return EXIT.ok;
  },
};
