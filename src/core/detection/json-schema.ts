/** The frontmatter's JSON Schema, generated from the zod schema so the two never disagree. */
import { z } from 'zod';
import { frontmatterSchema } from './frontmatter.ts';

/** JSON Schema (draft 2020-12) of a detection's frontmatter, for editors. */
export function frontmatterJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(frontmatterSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://loom.dev/schema/frontmatter.schema.json',
    title: 'Loom detection frontmatter',
    description:
      'Metadata of a Loom detection document (ADS Markdown). Generated from src/core/detection/frontmatter.ts.',
  };
}
