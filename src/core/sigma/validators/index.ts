/** Every Sigma validator, as plain tables: per document, and across the catalog. */
import { allWithSingleValue } from './all-with-single-value.ts';
import { conditionSyntax } from './condition-syntax.ts';
import { duplicateId } from './duplicate-id.ts';
import { duplicateTitle } from './duplicate-title.ts';
import { frontmatterMismatch } from './frontmatter-mismatch.ts';
import { invalidAttackTag } from './invalid-attack-tag.ts';
import { invalidCorrelation } from './invalid-correlation.ts';
import { invalidDate } from './invalid-date.ts';
import { invalidLevel } from './invalid-level.ts';
import { invalidModifierCombination } from './invalid-modifier-combination.ts';
import { invalidModifierValue } from './invalid-modifier-value.ts';
import { invalidRegex } from './invalid-regex.ts';
import { invalidStatus } from './invalid-status.ts';
import { invalidTag } from './invalid-tag.ts';
import { missingField } from './missing-field.ts';
import { missingLogsource } from './missing-logsource.ts';
import { undefinedIdentifier } from './undefined-identifier.ts';
import { unknownCorrelationRule } from './unknown-correlation-rule.ts';
import { unknownKey } from './unknown-key.ts';
import { unknownModifier } from './unknown-modifier.ts';
import { unusedIdentifier } from './unused-identifier.ts';
import { wildcardInsteadOfModifier } from './wildcard-instead-of-modifier.ts';
import type { CatalogValidator, DocumentValidator } from './validator.ts';

/** Checks over one document. */
export const DOCUMENT_VALIDATORS: readonly DocumentValidator[] = [
  missingField,
  missingLogsource,
  conditionSyntax,
  undefinedIdentifier,
  unusedIdentifier,
  unknownModifier,
  invalidModifierCombination,
  invalidModifierValue,
  allWithSingleValue,
  wildcardInsteadOfModifier,
  invalidRegex,
  invalidStatus,
  invalidLevel,
  invalidDate,
  invalidAttackTag,
  invalidTag,
  unknownKey,
  invalidCorrelation,
  frontmatterMismatch,
];

/** Checks across the catalog, run once at the end. */
export const CATALOG_VALIDATORS: readonly CatalogValidator[] = [duplicateId, duplicateTitle, unknownCorrelationRule];
