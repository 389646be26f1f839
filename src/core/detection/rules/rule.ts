import type { Diagnostic } from '../../diagnostics.ts';
import type { Detection } from '../model.ts';

/** A check over one parsed document: small, pure, one concern. */
export interface DocumentRule {
  /** Rule id, also the file name (`ads/missing-section` lives in `missing-section.ts`). */
  id: string;
  /** What it checks, for docs and `--help`. */
  description: string;
  check(detection: Detection): Diagnostic[];
}
