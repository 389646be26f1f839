/**
 * Entry points of the Sigma validators: per-document checks and cross-rule
 * checks that run once over a whole catalog. Each validator lives in its own
 * file under `validators/`, named after its rule id.
 */
import { diagnostic, type Diagnostic } from '../diagnostics.ts';
import type { SigmaDocument } from './model.ts';
import { plainRange } from './ranges.ts';
import { CATALOG_VALIDATORS, DOCUMENT_VALIDATORS } from './validators/index.ts';
import type { Finding } from './validators/validator.ts';

/** What a validator may know about the document around a Sigma block. */
export interface SigmaValidationContext {
  /** The detection's frontmatter, to check that the block agrees with it; absent for plain Sigma files. */
  frontmatter?: {
    id?: string;
    title?: string;
    status?: string;
    severity?: string;
    authors?: string[];
    created?: string;
    modified?: string;
    attack?: string[];
  };
}

function toDiagnostic(ruleId: string, severity: Diagnostic['severity'], finding: Finding, file?: string): Diagnostic {
  return diagnostic(ruleId, finding.severity ?? severity, finding.message, {
    place: finding.place ? plainRange(finding.place) : undefined,
    expected: finding.expected,
    related: finding.related?.map((r) => (r.place ? { ...r, place: plainRange(r.place) } : r)),
    file,
  });
}

/** Validates the documents of one block or file. */
export function validateSigmaDocuments(documents: SigmaDocument[], context: SigmaValidationContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const document of documents) {
    for (const validator of DOCUMENT_VALIDATORS) {
      for (const finding of validator.check(document, context, documents)) {
        out.push(toDiagnostic(validator.id, validator.severity, finding));
      }
    }
  }
  return out;
}

/** Cross-rule checks over a whole catalog (duplicate ids and titles, unknown correlation references). */
export function validateSigmaCatalog(entries: { file: string; documents: SigmaDocument[] }[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const validator of CATALOG_VALIDATORS) {
    for (const finding of validator.check(entries)) {
      out.push(toDiagnostic(validator.id, validator.severity, finding, finding.file));
    }
  }
  return out;
}
