/**
 * Runs a detection's sample blocks against its Sigma rules: the unit tests of
 * a detection. Pure, so the CLI (`loom test`), the site and the bundle show
 * the same pass/fail per sample.
 */
import { diagnostic, type Diagnostic, type Range } from '../../diagnostics.ts';
import type { Detection, SampleBlock } from '../../detection/model.ts';
import { EventView } from '../../events/view.ts';
import { LogsourceScope } from '../../logsource/scope.ts';
import { flattenWindowsEvent } from '../../logsource/windows.ts';
import type { SigmaCorrelation, SigmaRule } from '../model.ts';
import { primarySigmaDocument } from '../primary.ts';
import { compileRule, type CompiledRule } from './compile.ts';
import { CorrelationRunner, eventTime } from './correlation.ts';
import type { MatchOptions } from './matcher.ts';

/** The result of one sample block. */
export interface SampleResult {
  /** Sample name (from the info string or generated). */
  name: string;
  expect: 'match' | 'no-match';
  passed: boolean;
  /** Range of the sample block in the file. */
  range: Range;
  /** For each event of the block: the titles (or ids) of the rules it matched. */
  events: { range: Range; matched: string[] }[];
  /** Why it failed, at the failing event (or the block). */
  failures: Diagnostic[];
}

/** Options for {@link runDetectionTests}. */
export interface RunTestsOptions extends MatchOptions {
  /** Statuses that need at least one sample of each kind (default: test and stable). */
  requireSamplesFor?: readonly string[];
  /**
   * The logsource table whose field copies apply to sample events (Security
   * 4688 `NewProcessName` -> `Image`), as a SIEM's standard pipeline maps them.
   * Default: the built-in table; `null` applies none. Scoping itself stays off.
   */
  scope?: LogsourceScope | null;
}

let builtInScope: LogsourceScope | undefined;

/** The results of one detection's samples, and the problems that are not one sample's. */
export interface DetectionTestResult {
  path: string;
  samples: SampleResult[];
  /** Missing samples for the status, rules the evaluator cannot apply, samples without rules. */
  diagnostics: Diagnostic[];
}

/**
 * Runs every sample of a detection. A `match` sample passes when every event
 * matches at least one rule (for a correlation: when the detection's
 * outermost correlation fires over the block's events, chained correlations
 * feeding it); a `no-match` sample passes when nothing matches.
 * Logsource scoping is off (a sample is written for its own detection), but
 * the table's field copies apply, so a real Security 4688 event reaches a
 * `process_creation` rule's `Image` as it would through a SIEM's pipeline.
 */
export function runDetectionTests(detection: Detection, options: RunTestsOptions = {}): DetectionTestResult {
  const diagnostics: Diagnostic[] = [];
  const samples = detection.blocks.filter((b): b is SampleBlock => b.kind === 'sample');
  const rules = detection.sigma.filter((d): d is SigmaRule => d.type === 'rule');
  const correlations = detection.sigma.filter((d): d is SigmaCorrelation => d.type === 'correlation');
  const compiled = rules.map((r) => compileRule(r, options));
  for (const c of compiled) diagnostics.push(...c.problems.map((p) => ({ ...p, file: detection.path })));

  const required = options.requireSamplesFor ?? ['test', 'stable'];
  const status = detection.frontmatter?.status;
  if (status && required.includes(status)) {
    for (const kind of ['match', 'no-match'] as const) {
      if (!samples.some((s) => s.expect === kind)) {
        diagnostics.push(
          diagnostic(
            'test/missing-sample',
            'error',
            `Unexpected status \`${status}\` without a \`expect=${kind}\` sample, expected at least one`,
            {
              file: detection.path,
              place: { line: detection.frontmatterLines.status ?? 1, column: 1 },
            },
          ),
        );
      }
    }
  }
  if (samples.length > 0 && rules.length === 0) {
    diagnostics.push(
      diagnostic(
        'test/no-rules',
        'error',
        'Unexpected sample events without a Sigma rule, expected a `sigma` block to test',
        {
          file: detection.path,
          place: samples[0]!.range,
        },
      ),
    );
    return { path: detection.path, samples: [], diagnostics };
  }
  // Only the outermost correlation is the detection: intermediate ones feed it, they do not alert.
  const primary = primarySigmaDocument(detection.sigma);
  const decisive = primary?.type === 'correlation' ? primary : undefined;
  const scope = options.scope === undefined ? (builtInScope ??= new LogsourceScope()) : options.scope;
  const results = samples.map((sample) => runSample(detection.path, sample, compiled, correlations, decisive, scope));
  return { path: detection.path, samples: results, diagnostics };
}

function runSample(
  path: string,
  sample: SampleBlock,
  rules: CompiledRule[],
  correlations: SigmaCorrelation[],
  decisive: SigmaCorrelation | undefined,
  scope: LogsourceScope | null,
): SampleResult {
  const failures: Diagnostic[] = [];
  const events = sample.events.map((e) => {
    const flat = flattenWindowsEvent(e.value);
    // normalise() adds fields in place: copy, so the detection's parsed sample stays as written.
    const view = new EventView(scope ? scope.normalise(flat === e.value ? { ...flat } : flat) : flat);
    return { range: e.range, view, matched: rules.filter((r) => r.match(view)) };
  });
  const label = (r: CompiledRule): string => r.rule.title ?? r.key;
  if (sample.events.length === 0) {
    failures.push(
      diagnostic(
        'test/empty-sample',
        'error',
        `Unexpected sample \`${sample.name}\` without events, expected at least one JSON event`,
        { file: path, place: sample.range },
      ),
    );
  } else if (correlations.length > 0) {
    const runner = new CorrelationRunner(correlations);
    let fired = 0;
    events.forEach(
      (e, i) =>
        (fired += runner
          .push(
            e.matched.map((m) => m.rule),
            e.view,
            eventTime(e.view, i * 1000),
          )
          .filter((a) => decisive === undefined || a.correlation === decisive).length),
    );
    fired += runner.flush().filter((a) => decisive === undefined || a.correlation === decisive).length;
    if (sample.expect === 'match' && fired === 0)
      failures.push(
        diagnostic(
          'test/no-match',
          'error',
          `Unexpected no alert for sample \`${sample.name}\`, expected the correlation to fire`,
          { file: path, place: sample.range },
        ),
      );
    if (sample.expect === 'no-match' && fired > 0)
      failures.push(
        diagnostic(
          'test/unexpected-match',
          'error',
          `Unexpected alert for sample \`${sample.name}\`, expected the correlation not to fire`,
          { file: path, place: sample.range },
        ),
      );
  } else {
    events.forEach((e, i) => {
      const n = sample.events.length > 1 ? ` (event ${i + 1})` : '';
      if (sample.expect === 'match' && e.matched.length === 0)
        failures.push(
          diagnostic(
            'test/no-match',
            'error',
            `Unexpected no match for sample \`${sample.name}\`${n}, expected a rule to match`,
            { file: path, place: e.range },
          ),
        );
      if (sample.expect === 'no-match' && e.matched.length > 0)
        failures.push(
          diagnostic(
            'test/unexpected-match',
            'error',
            `Unexpected match of \`${label(e.matched[0]!)}\` for sample \`${sample.name}\`${n}, expected no match`,
            { file: path, place: e.range },
          ),
        );
    });
  }
  return {
    name: sample.name,
    expect: sample.expect,
    passed: failures.length === 0,
    range: sample.range,
    events: events.map((e) => ({ range: e.range, matched: e.matched.map(label) })),
    failures,
  };
}
