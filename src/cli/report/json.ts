/** Machine-readable diagnostics: one JSON document with every field of every diagnostic. */
import { countBySeverity } from '../../core/diagnostics.ts';
import type { Reporter } from './types.ts';

/** `{ files, summary, diagnostics: [...] }`, stable key order. */
export const json: Reporter = ({ diagnostics, fileCount }) =>
  JSON.stringify({ files: fileCount, summary: countBySeverity(diagnostics), diagnostics }, null, 2) + '\n';
