/** A tag outside the specification's form `namespace.name` in lower-case letters, digits, `_`, `-` and `.`. */
import type { DocumentValidator, Finding } from './validator.ts';

const TAG = /^[a-z0-9_-]+\.[a-z0-9._-]+$/;

export const invalidTag: DocumentValidator = {
  id: 'sigma/invalid-tag',
  severity: 'warning',
  check(document) {
    const findings: Finding[] = [];
    const seen = new Set<string>();
    document.tags.forEach((tag, i) => {
      if (seen.has(tag))
        findings.push({
          message: `Unexpected repeated tag \`${tag}\`, expected each tag once`,
          place: document.ranges.value(`tags.${i}`),
        });
      seen.add(tag);
      if (TAG.test(tag) || tag.toLowerCase().startsWith('attack.')) return;
      findings.push({
        message: `Unexpected tag \`${tag}\`, expected \`namespace.name\` in lower case (letters, digits, \`_\`, \`-\`, \`.\`)`,
        place: document.ranges.value(`tags.${i}`),
        ...(TAG.test(tag.toLowerCase()) ? { expected: [tag.toLowerCase()] } : {}),
      });
    });
    return findings;
  },
};
