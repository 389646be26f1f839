/**
 * The zod-free copies of the frontmatter's keys and vocabularies must match
 * the schema, which is where they are defined.
 */
import { describe, expect, it } from 'vitest';
import { FRONTMATTER_FIELDS, SEVERITIES, STATUSES, TACTICS } from '../../../src/core/detection/frontmatter-fields.ts';
import { FRONTMATTER_KEYS, frontmatterSchema } from '../../../src/core/detection/frontmatter.ts';
import { frontmatterSchemaOrThrow } from '../../../src/core/detection/frontmatter-schema-slot.ts';

describe('frontmatter fields', () => {
  it('lists the schema keys in the schema order', () => {
    expect(FRONTMATTER_FIELDS).toEqual(FRONTMATTER_KEYS);
    expect(FRONTMATTER_FIELDS).toEqual(Object.keys(frontmatterSchema.shape));
  });

  it('holds the vocabularies the schema enumerates', () => {
    const { status, severity } = frontmatterSchema.shape;
    expect(status.options).toEqual([...STATUSES]);
    expect(severity.options).toEqual([...SEVERITIES]);
    for (const tactic of TACTICS) expect(frontmatterSchema.shape.tactics.safeParse([tactic]).success).toBe(true);
    expect(frontmatterSchema.shape.tactics.safeParse(['evasion']).success).toBe(false);
  });

  it('puts the schema in its slot once frontmatter.ts is loaded', () => {
    expect(frontmatterSchemaOrThrow()).toBe(frontmatterSchema);
  });
});
