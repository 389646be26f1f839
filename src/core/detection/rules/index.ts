/** The document rules, as a plain table. */
import type { Diagnostic } from '../../diagnostics.ts';
import type { Detection } from '../model.ts';
import { duplicateSection } from './duplicate-section.ts';
import { missingSection } from './missing-section.ts';
import { missingSigma } from './missing-sigma.ts';
import type { DocumentRule } from './rule.ts';
import { todoSection } from './todo-section.ts';
import { unknownSection } from './unknown-section.ts';

/** Every document rule, run in this order. */
export const DOCUMENT_RULES: readonly DocumentRule[] = [
  missingSection,
  unknownSection,
  todoSection,
  duplicateSection,
  missingSigma,
];

/** Runs every document rule over one detection. */
export function checkDocument(detection: Detection): Diagnostic[] {
  return DOCUMENT_RULES.flatMap((rule) => rule.check(detection));
}
