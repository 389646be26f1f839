import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpus } from '../helpers/corpus.ts';
import { parse } from '../helpers/documents.ts';

const ads = corpus('corpus/ads-examples');
const files = ads.available ? readdirSync(ads.path).filter((f) => /^\d{3}-.*\.md$/.test(f)) : [];

/** Non-ADS headings the examples really have (the Cilium one adds scope sections). */
const EXTRA_HEADINGS: Record<string, string[]> = {
  '006-Cilium-Blocked-DNS-Resolution.md': ['Environments', 'Platforms', 'Tooling'],
};

describe.skipIf(!ads.available)('the ADS framework examples', () => {
  it('are all there', () => {
    expect(files).toHaveLength(6);
  });

  it.each(files)('%s: every section found, missing frontmatter reported', (name) => {
    const text = readFileSync(join(ads.path, name), 'utf8');
    const { detection } = parse(text, name);
    const found = new Set(detection.sections.map((s) => s.key));
    for (const key of [
      'goal',
      'categorization',
      'strategy-abstract',
      'technical-context',
      'blind-spots-and-assumptions',
      'false-positives',
      'validation',
      'priority',
      'response',
      'additional-resources',
    ]) {
      expect(found, `${name} lacks ${key}; headings: ${detection.sections.map((s) => s.heading).join(', ')}`).toContain(
        key,
      );
    }
    // Headings that are not ADS sections are reported as warnings, never lost.
    const extra = detection.sections.filter((s) => s.key === null).map((s) => s.heading);
    expect(extra).toEqual(EXTRA_HEADINGS[name] ?? []);
    expect(detection.diagnostics.filter((d) => d.ruleId === 'ads/unknown-section')).toHaveLength(extra.length);
    expect(detection.diagnostics.map((d) => d.ruleId)).toContain('frontmatter/missing');
    expect(detection.diagnostics.filter((d) => d.ruleId.startsWith('ads/missing'))).toEqual([]);
  });
});
