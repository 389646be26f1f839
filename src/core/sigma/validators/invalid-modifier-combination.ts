/**
 * Modifiers that cannot be combined, or not in this order: two position
 * modifiers, regex flags without `re`, `re` or `cidr` with value transforms,
 * `exists` with anything, a position modifier before an encoding, a repeated
 * modifier.
 */
import type { ModifierUse } from '../model.ts';
import { modifierInfo, type ModifierKind } from '../modifiers.ts';
import type { DocumentValidator, Finding } from './validator.ts';
import { documentMatchers } from './walk.ts';

/** Kinds each exclusive kind may stand beside. */
const ALLOWED_WITH: Partial<Record<ModifierKind, readonly ModifierKind[]>> = {
  regex: ['regex-flag', 'logic', 'cased', 'negate'],
  cidr: ['logic', 'negate'],
  exists: [],
  compare: ['time', 'logic'],
  fieldref: ['position', 'logic', 'negate', 'cased'],
};

export const invalidModifierCombination: DocumentValidator = {
  id: 'sigma/invalid-modifier-combination',
  severity: 'error',
  check(document) {
    const findings: Finding[] = [];
    for (const matcher of documentMatchers(document)) {
      const known = matcher.modifiers.flatMap((m) => {
        const info = modifierInfo(m.name);
        return info ? [{ use: m, info, name: info.aliasOf ?? m.name }] : [];
      });
      if (known.length < 2 && !known.some((k) => k.info.kind === 'regex-flag')) continue;
      const seen = new Map<string, ModifierUse>();
      let reported = false;
      const report = (use: ModifierUse, message: string, expected?: string[]): void => {
        if (reported) return;
        reported = true;
        findings.push({ message, place: use.range, ...(expected ? { expected } : {}) });
      };
      for (const k of known) {
        if (seen.has(k.name))
          report(k.use, `Unexpected repeated modifier \`${k.use.name}\`, expected each modifier once`);
        seen.set(k.name, k.use);
      }
      const positions = known.filter((k) => k.info.kind === 'position');
      if (positions.length > 1) {
        report(
          positions[1]!.use,
          `Unexpected \`${positions[1]!.use.name}\` after \`${positions[0]!.use.name}\`, expected one of \`contains\`, \`startswith\` or \`endswith\``,
        );
      }
      const hasRe = known.some((k) => k.info.kind === 'regex');
      for (const k of known) {
        if (k.info.kind === 'regex-flag' && !hasRe)
          report(k.use, `Unexpected regex flag \`${k.use.name}\` without \`re\`, expected \`|re|${k.use.name}\``, [
            're',
          ]);
      }
      for (const k of known) {
        const allowed = ALLOWED_WITH[k.info.kind];
        if (!allowed) continue;
        const clash = known.find(
          (o) =>
            o !== k &&
            o.info.kind !== k.info.kind &&
            !allowed.includes(o.info.kind) &&
            !ALLOWED_WITH[o.info.kind]?.includes(k.info.kind),
        );
        if (clash)
          report(
            clash.use,
            `Unexpected \`${clash.use.name}\` with \`${k.use.name}\`, expected ${allowed.length ? allowed.map((a) => 'a ' + a + ' modifier').join(' or ') : 'no other modifier'} beside \`${k.use.name}\``,
          );
      }
      const firstEncoding = known.findIndex((k) => k.name === 'base64' || k.name === 'base64offset');
      if (firstEncoding > 0) {
        const before = known.slice(0, firstEncoding).find((k) => k.info.kind === 'position');
        if (before)
          report(
            before.use,
            `Unexpected \`${before.use.name}\` before \`${known[firstEncoding]!.use.name}\`, expected the position modifier after the encoding (\`|${known[firstEncoding]!.use.name}|${before.use.name}\`)`,
          );
      }
      if (firstEncoding >= 0) {
        const utf = known
          .slice(firstEncoding + 1)
          .find((k) => k.name === 'utf16le' || k.name === 'utf16be' || k.name === 'utf16');
        if (utf)
          report(
            utf.use,
            `Unexpected \`${utf.use.name}\` after \`${known[firstEncoding]!.use.name}\`, expected the UTF-16 encoding first (\`|${utf.use.name}|${known[firstEncoding]!.use.name}\`)`,
          );
      }
    }
    return findings;
  },
};
