/** Two Sigma documents in the catalog with the same `title`: analysts cannot tell their alerts apart. */
import type { CatalogFinding, CatalogValidator } from './validator.ts';

export const duplicateTitle: CatalogValidator = {
  id: 'sigma/duplicate-title',
  severity: 'warning',
  check(entries) {
    const findings: CatalogFinding[] = [];
    const first = new Map<string, string>();
    for (const entry of entries) {
      for (const document of entry.documents) {
        if (!document.title) continue;
        const key = document.title.trim().toLowerCase();
        const seen = first.get(key);
        if (seen === undefined) {
          first.set(key, entry.file);
          continue;
        }
        findings.push({
          file: entry.file,
          message: `Unexpected duplicate title \`${document.title}\`, expected a title no other rule uses (first used in \`${seen}\`)`,
          place: document.ranges.value('title'),
          related: [{ message: 'First used here', file: seen }],
        });
      }
    }
    return findings;
  },
};
