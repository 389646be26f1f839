/**
 * Differential test of the fast frontmatter check: whenever it accepts flat
 * frontmatter it must give what zod gives (same keys in the same order), and
 * it must never accept what zod rejects.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastFrontmatter } from '../../../src/core/detection/fast-frontmatter.ts';
import { frontmatterSchema } from '../../../src/core/detection/frontmatter.ts';
import { readSimpleMapping } from '../../../src/core/detection/simple-yaml.ts';
import { syntheticDetection } from '../../bench/generate.ts';

type Flat = Record<string, string | string[]>;

function agrees(raw: Flat): void {
  const fast = fastFrontmatter(raw);
  const zod = frontmatterSchema.safeParse(raw);
  if (fast === undefined) return;
  expect(zod.success).toBe(true);
  expect(JSON.stringify(fast)).toBe(JSON.stringify(zod.data));
}

const root = join(import.meta.dirname, '..', '..', '..');
const documents = [
  ...(readdirSync(join(root, 'detections'), { recursive: true }) as string[])
    .filter((f) => f.endsWith('.md'))
    .map((f) => readFileSync(join(root, 'detections', f), 'utf8')),
  ...(readdirSync(join(root, 'tests', 'fixtures'), { recursive: true }) as string[])
    .filter((f) => f.endsWith('.md'))
    .map((f) => readFileSync(join(root, 'tests', 'fixtures', f), 'utf8')),
  ...Array.from({ length: 40 }, (_, i) => syntheticDetection(i * 75).text),
];
const flats = documents
  .map((markdown) => /^---\n([\s\S]*?)\n---(?:\n|$)/.exec(markdown)?.[1])
  .map((text) => (text === undefined ? undefined : readSimpleMapping(text)?.raw))
  .filter((raw): raw is Flat => raw !== undefined);

const valid: Flat = {
  id: '9e3779b9-0000-49e3-8779-000000000000',
  title: 'A title',
  status: 'test',
  severity: 'low',
  owner: 'team',
  authors: ['someone'],
  created: '2025-01-10',
};

describe('fastFrontmatter', () => {
  it('accepts the common valid frontmatter, as zod reads it', () => {
    expect(flats.length).toBeGreaterThan(20);
    expect(flats.filter((raw) => fastFrontmatter(raw) !== undefined).length).toBeGreaterThan(20);
    for (const raw of flats) agrees(raw);
    expect(fastFrontmatter(valid)).toBeDefined();
    agrees(valid);
    agrees({ ...valid, modified: '2025-02-28', platform: 'linux', generated: 'abc', tags: ['x'], extra: 'dropped' });
  });

  it('leaves every invalid field to zod', () => {
    const bad: Flat[] = [
      { ...valid, id: 'not-a-guid' },
      { ...valid, title: 'ab' },
      { ...valid, title: 'x'.repeat(201) },
      { ...valid, status: 'draft' },
      { ...valid, severity: 'urgent' },
      { ...valid, owner: '' },
      { ...valid, authors: [] },
      { ...valid, authors: 'someone' },
      { ...valid, created: '2025-02-30' },
      { ...valid, created: '2023-02-29' },
      { ...valid, created: '2025-04-31' },
      { ...valid, created: '2025-00-10' },
      { ...valid, created: '2025-1-10' },
      { ...valid, modified: '2025-13-01' },
      { ...valid, attack: ['T10'] },
      { ...valid, attack: 'T1059' },
      { ...valid, tactics: ['evasion'] },
      { ...valid, platform: '' },
      { ...valid, tags: [''] },
      { ...valid, targets: 'splunk' },
      { ...valid, source: 'somewhere' },
      { ...valid, generated: ['x'] },
      Object.fromEntries(Object.entries(valid).filter(([k]) => k !== 'created')),
    ];
    for (const raw of bad) {
      expect(fastFrontmatter(raw)).toBeUndefined();
      expect(frontmatterSchema.safeParse(raw).success).toBe(false);
    }
  });

  it('never disagrees with zod on arbitrary flat values', () => {
    const value = fc.oneof(
      fc.constantFrom(
        '',
        'ab',
        'low',
        'test',
        'T1059',
        'T1059.001',
        'execution',
        '2024-02-29',
        '2023-02-29',
        valid.id!,
      ),
      fc.string({ maxLength: 8 }),
    );
    const field = fc.oneof(value, fc.array(value, { maxLength: 3 }));
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom(...Object.keys(frontmatterSchema.shape), 'extra'),
          field as fc.Arbitrary<string | string[]>,
        ),
        (patch) => agrees({ ...valid, ...patch }),
      ),
      { numRuns: 2000 },
    );
  });
});

describe('fastFrontmatter dates', () => {
  it('accepts exactly the days the schema accepts (months 0-13, days 0-32, leap years over five centuries)', () => {
    for (let year = 1896; year <= 2404; year += 4) {
      for (let month = 0; month <= 13; month++) {
        for (let day = 0; day <= 32; day++) {
          const created = `${String(year + (day % 4)).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          const raw = { ...valid, created };
          expect(fastFrontmatter(raw) !== undefined, created).toBe(frontmatterSchema.safeParse(raw).success);
        }
      }
    }
  });
});
