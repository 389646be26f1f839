/** The frontmatter's JSON Schema, generated from the zod schema so the two never disagree. */
import { z } from 'zod';
import { frontmatterSchema } from './frontmatter.ts';

/** JSON Schema (draft 2020-12) of a detection's frontmatter, for editors. */
export function frontmatterJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(frontmatterSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  // The id is any 8-4-4-4-12 hex id, as in Sigma (z.guid): the pattern says so, while `format: uuid` would make
  // strict validators demand an RFC 9562 version and variant, which some SigmaHQ ids lack.
  const id = (schema['properties'] as Record<string, Record<string, unknown>> | undefined)?.['id'];
  if (id) delete id['format'];
  return {
    ...schema,
    $id: 'https://loom.dev/schema/frontmatter.schema.json',
    title: 'Loom detection frontmatter',
    description:
      'Metadata of a Loom detection document (ADS Markdown). Generated from src/core/detection/frontmatter.ts.',
  };
}
