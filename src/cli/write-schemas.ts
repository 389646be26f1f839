/** `npm run schema`: regenerates the JSON Schemas that editors and the sync job read. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { frontmatterJsonSchema } from '../core/detection/json-schema.ts';

/** Where the frontmatter schema is written, relative to the repository. */
export const FRONTMATTER_SCHEMA_PATH = 'public/schema/frontmatter.schema.json';

/** The file's exact text. */
export function frontmatterSchemaText(): string {
  return JSON.stringify(frontmatterJsonSchema(), null, 2) + '\n';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const target = join(root, FRONTMATTER_SCHEMA_PATH);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, frontmatterSchemaText());
  console.log(`wrote ${FRONTMATTER_SCHEMA_PATH}`);
}
