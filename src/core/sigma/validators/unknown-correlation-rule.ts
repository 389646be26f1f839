/**
 * A correlation or filter that refers to a rule no document in the catalog
 * defines (by `id` or `name`). Names resolve within the same file first, as
 * the specification's multi-document examples do, then across the catalog.
 */
import { suggest } from '../../text/suggest.ts';
import type { CatalogFinding, CatalogValidator } from './validator.ts';

export const unknownCorrelationRule: CatalogValidator = {
  id: 'sigma/unknown-correlation-rule',
  severity: 'error',
  check(entries) {
    const known = new Set<string>();
    const names: string[] = [];
    for (const entry of entries) {
      for (const document of entry.documents) {
        if (document.id) known.add(document.id);
        if (document.name) {
          known.add(document.name);
          names.push(document.name);
        }
      }
    }
    const findings: CatalogFinding[] = [];
    for (const entry of entries) {
      for (const document of entry.documents) {
        if (document.type === 'rule') continue;
        const section = document.type === 'correlation' ? 'correlation' : 'filter';
        document.rules.forEach((ref, i) => {
          if (known.has(ref)) return;
          const near = suggest(ref, names);
          findings.push({
            file: entry.file,
            message: `Unexpected reference to unknown rule \`${ref}\`, expected ${near.length ? near.map((n) => '`' + n + '`').join(' or ') : 'the `id` or `name` of a rule in the catalog'}`,
            place: document.ranges.value(`${section}.rules.${i}`) ?? document.ranges.value(`${section}.rules`),
            expected: near,
          });
        });
      }
    }
    return findings;
  },
};
