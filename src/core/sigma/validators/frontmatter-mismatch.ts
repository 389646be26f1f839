/**
 * A Sigma block that repeats a metadata field with a different value than
 * the frontmatter: the merged rule takes the frontmatter, so the block's
 * value would silently be lost.
 */
import type { SigmaDocument } from '../model.ts';
import { primarySigmaDocument } from '../primary.ts';
import type { DocumentValidator, Finding } from './validator.ts';

export const frontmatterMismatch: DocumentValidator = {
  id: 'sigma/frontmatter-mismatch',
  severity: 'error',
  check(document: SigmaDocument, context, siblings) {
    const fm = context.frontmatter;
    // Base rules of a correlation keep their own title, id and level; only the detection itself must agree.
    if (!fm || primarySigmaDocument(siblings) !== document) return [];
    const findings: Finding[] = [];
    const compare = (key: string, block: string | undefined, front: string | undefined, name: string): void => {
      if (block === undefined || front === undefined || block === front) return;
      findings.push({
        message: `Unexpected ${key} \`${block}\` in the Sigma block, expected \`${front}\` as the frontmatter's \`${name}\` says (or remove it from the block)`,
        place: document.ranges.value(key),
        expected: [front],
      });
    };
    compare('id', document.id, fm.id, 'id');
    compare('title', document.title, fm.title, 'title');
    compare('status', document.status, fm.status, 'status');
    compare('level', document.level, fm.severity, 'severity');
    compare('date', document.date, fm.created, 'created');
    compare('modified', document.modified, fm.modified, 'modified');
    if (document.author !== undefined && fm.authors && fm.authors.length > 0) {
      const authors = document.author
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean);
      const missing = authors.filter((a) => !fm.authors!.includes(a));
      if (missing.length > 0) {
        findings.push({
          message: `Unexpected author \`${missing.join(', ')}\` in the Sigma block, expected the frontmatter's \`authors\` (${fm.authors.map((a) => '`' + a + '`').join(', ')})`,
          place: document.ranges.value('author'),
        });
      }
    }
    const techniques = new Set((fm.attack ?? []).map((t) => t.toLowerCase()));
    document.tags.forEach((tag, i) => {
      const match = /^attack\.(t\d{4}(?:\.\d{3})?)$/i.exec(tag);
      if (!match || techniques.has(match[1]!.toLowerCase())) return;
      findings.push({
        message: `Unexpected ATT&CK tag \`${tag}\` in the Sigma block, expected \`${match[1]!.toUpperCase()}\` in the frontmatter's \`attack\``,
        place: document.ranges.value(`tags.${i}`),
        severity: 'warning',
      });
    });
    return findings;
  },
};
