import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { FRONTMATTER_SCHEMA_PATH, frontmatterSchemaText } from '../../../src/cli/write-schemas.ts';

describe('frontmatter JSON Schema', () => {
  it('is committed exactly as generated from the zod schema (run `npm run schema`)', () => {
    const committed = readFileSync(join(import.meta.dirname, '..', '..', '..', FRONTMATTER_SCHEMA_PATH), 'utf8');
    expect(committed).toBe(frontmatterSchemaText());
  });

  it('accepts a valid frontmatter and rejects a bad status', () => {
    const validate = new Ajv2020({ strict: false }).compile(JSON.parse(frontmatterSchemaText()));
    const good = {
      id: '0e5b6a2e-3f4d-4c6b-9a1e-2f7d8c9b0a1d',
      title: 'Encoded PowerShell',
      status: 'stable',
      severity: 'high',
      owner: 'soc',
      authors: ['Ada'],
      created: '2026-01-15',
    };
    expect(validate(good), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...good, status: 'stabel' })).toBe(false);
    // Any 8-4-4-4-12 hex id, as zod's guid and Sigma accept (no RFC version or variant demanded).
    expect(validate({ ...good, id: '12345678-1234-1234-1234-123456789abc' })).toBe(true);
    expect(validate({ ...good, id: '12345678-1234-1234-1234-123456789ab' })).toBe(false);
  });
});
