/**
 * The shape of a Sigma validator: one concern, an id, a severity and a pure
 * check that returns findings. `validate.ts` turns findings into diagnostics.
 */
import type { Range, RelatedPlace, Severity } from '../../diagnostics.ts';
import type { SigmaDocument } from '../model.ts';
import type { SigmaValidationContext } from '../validate.ts';

/** What a check found: a message and a place; the validator supplies the id and severity. */
export interface Finding {
  message: string;
  place?: Range | undefined;
  expected?: string[];
  related?: RelatedPlace[];
  /** Overrides the validator's severity for this finding (a softer variant of the same concern). */
  severity?: Severity;
}

/** A check over one Sigma document. */
export interface DocumentValidator {
  /** Rule id, e.g. `sigma/unknown-modifier`; the file is named after it. */
  id: string;
  severity: Severity;
  check(document: SigmaDocument, context: SigmaValidationContext, siblings: readonly SigmaDocument[]): Finding[];
}

/** One file's documents, for cross-rule checks. */
export interface CatalogEntry {
  file: string;
  documents: SigmaDocument[];
}

/** A finding of a cross-rule check names its file. */
export interface CatalogFinding extends Finding {
  file: string;
}

/** A check over the whole catalog, run once. */
export interface CatalogValidator {
  id: string;
  severity: Severity;
  check(entries: readonly CatalogEntry[]): CatalogFinding[];
}
