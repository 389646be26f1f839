/**
 * Entry points of the Sigma validators: per-document checks and cross-rule
 * checks that run once over a whole catalog.
 */
import type { Diagnostic } from '../diagnostics.ts';
import type { SigmaDocument } from './model.ts';

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

/** Validates the documents of one block or file. */
export function validateSigmaDocuments(_documents: SigmaDocument[], _context: SigmaValidationContext): Diagnostic[] {
  return [];
}

/** Cross-rule checks over a whole catalog (duplicate ids and titles, unknown correlation references). */
export function validateSigmaCatalog(_entries: { file: string; documents: SigmaDocument[] }[]): Diagnostic[] {
  return [];
}
