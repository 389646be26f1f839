/**
 * SARIF 2.1.0, for GitHub code scanning and other viewers: one run, one rule
 * per rule id, one result per diagnostic with its region.
 */
import type { Diagnostic } from '../../core/diagnostics.ts';
import type { Reporter } from './types.ts';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

/** SARIF log for the diagnostics. Paths stay relative (repository root as `%SRCROOT%`). */
export const sarif: Reporter = ({ diagnostics }) => {
  const ruleIds = [...new Set(diagnostics.map((d) => d.ruleId))].sort();
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'loom',
            informationUri: 'https://github.com/loom-detections/loom',
            version: '0.1.0',
            rules: ruleIds.map((id) => ({ id, shortDescription: { text: id } })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: 'file:///' } },
        results: diagnostics.map((d) => result(d, ruleIds.indexOf(d.ruleId))),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
};

function result(d: Diagnostic, ruleIndex: number) {
  const region = d.place
    ? {
        startLine: d.place.start.line,
        startColumn: d.place.start.column,
        ...(d.place.end ? { endLine: d.place.end.line, endColumn: Math.max(d.place.end.column, 1) } : {}),
      }
    : undefined;
  return {
    ruleId: d.ruleId,
    ruleIndex,
    level: LEVEL[d.severity],
    message: { text: d.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: (d.file ?? '').replace(/\\/g, '/'), uriBaseId: '%SRCROOT%' },
          ...(region ? { region } : {}),
        },
      },
    ],
  };
}
