/**
 * Where the frontmatter schema is found without importing zod. Importing
 * frontmatter.ts (as the detection index and the Markdown pipeline do) puts
 * the schema here; \`loom check\`'s fast path does not, and a document whose
 * frontmatter needs the schema (anything the hand-written check does not
 * accept) makes it throw {@link FrontmatterSchemaMissing}, so the caller
 * loads the full pipeline, schema included, and reads that document again.
 */
import type { frontmatterSchema } from './frontmatter.ts';

/** The schema is not loaded yet: load the full pipeline (or frontmatter.ts) and try again. */
export class FrontmatterSchemaMissing extends Error {
  constructor() {
    super('The frontmatter schema is not loaded: import src/core/detection/frontmatter.ts first');
  }
}

let schema: typeof frontmatterSchema | undefined;

/** Called once by frontmatter.ts. */
export function provideFrontmatterSchema(value: typeof frontmatterSchema): void {
  schema = value;
}

/** The frontmatter schema, or {@link FrontmatterSchemaMissing} when frontmatter.ts was never imported. */
export function frontmatterSchemaOrThrow(): typeof frontmatterSchema {
  if (!schema) throw new FrontmatterSchemaMissing();
  return schema;
}
