/** Two Sigma documents in the catalog with the same `id`: references and deployments become ambiguous. */
import type { SigmaDocument } from '../model.ts';
import type { CatalogFinding, CatalogValidator } from './validator.ts';

export const duplicateId: CatalogValidator = {
  id: 'sigma/duplicate-id',
  severity: 'error',
  check(entries) {
    const findings: CatalogFinding[] = [];
    const first = new Map<string, { file: string; document: SigmaDocument }>();
    for (const entry of entries) {
      for (const document of entry.documents) {
        if (!document.id) continue;
        const seen = first.get(document.id);
        if (!seen) {
          first.set(document.id, { file: entry.file, document });
          continue;
        }
        const place = document.ranges.value('id');
        const firstPlace = seen.document.ranges.value('id');
        findings.push({
          file: entry.file,
          message: `Unexpected duplicate id \`${document.id}\`, expected an id no other rule uses (first used in \`${seen.file}\`)`,
          place,
          related: [{ message: 'First used here', file: seen.file, ...(firstPlace ? { place: firstPlace } : {}) }],
        });
      }
    }
    return findings;
  },
};
