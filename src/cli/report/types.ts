import type { Diagnostic } from '../../core/diagnostics.ts';

/** What a reporter prints from. */
export interface ReportInput {
  diagnostics: readonly Diagnostic[];
  /** Number of files looked at. */
  fileCount: number;
  /** Use ANSI colours. */
  color: boolean;
  /** Seconds the run took. */
  seconds?: number;
}

/** A diagnostics reporter: stylish, json, sarif, github. */
export type Reporter = (input: ReportInput) => string;
