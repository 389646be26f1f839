/**
 * A value the modifier cannot take: `exists` needs `true` or `false`,
 * `gt`/`gte`/`lt`/`lte` need numbers, `cidr` needs a network such as
 * `10.0.0.0/8`, `expand` needs a `%placeholder%`.
 */
import type { SigmaValue } from '../model.ts';
import { modifierInfo } from '../modifiers.ts';
import type { DocumentValidator, Finding } from './validator.ts';
import { documentMatchers } from './walk.ts';

/** Whether `text` is an IPv4 or IPv6 network in CIDR notation. */
export function isCidr(text: string): boolean {
  const slash = text.lastIndexOf('/');
  const address = slash === -1 ? text : text.slice(0, slash);
  const bits = slash === -1 ? undefined : text.slice(slash + 1);
  if (bits !== undefined && !/^\d{1,3}$/.test(bits)) return false;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(address)) {
    return address.split('.').every((o) => Number(o) <= 255) && (bits === undefined || Number(bits) <= 32);
  }
  if (!address.includes(':') || !/^[0-9a-fA-F:.]+$/.test(address)) return false;
  const doubles = address.split('::').length - 1;
  if (doubles > 1) return false;
  const groups = address.split(':').filter((g) => g !== '');
  if (groups.some((g) => g.length > 4 && !g.includes('.'))) return false;
  return (doubles === 1 ? groups.length < 8 : groups.length === 8) && (bits === undefined || Number(bits) <= 128);
}

function describe(value: SigmaValue): string {
  return value.type === 'null'
    ? '`null`'
    : value.type === 'string'
      ? `string \`${value.value}\``
      : `${value.type} \`${String(value.value)}\``;
}

export const invalidModifierValue: DocumentValidator = {
  id: 'sigma/invalid-modifier-value',
  severity: 'error',
  check(document) {
    const findings: Finding[] = [];
    for (const matcher of documentMatchers(document)) {
      const names = matcher.modifiers.map((m) => m.name);
      for (const modifier of matcher.modifiers) {
        const info = modifierInfo(modifier.name);
        if (!info) continue;
        for (const value of matcher.values) {
          let problem: string | undefined;
          if (modifier.name === 'exists') {
            if (value.type !== 'boolean') problem = '`true` or `false`';
          } else if (info.kind === 'compare') {
            if (
              value.type !== 'number' &&
              !(value.type === 'string' && value.value.trim() !== '' && !Number.isNaN(Number(value.value)))
            )
              problem = 'a number';
          } else if (modifier.name === 'cidr') {
            if (value.type !== 'string' || !isCidr(value.value))
              problem = 'a network in CIDR notation such as `10.0.0.0/8` or `fe80::/10`';
          } else if (modifier.name === 'expand') {
            if (value.type !== 'string' || !/%[^%]+%/.test(value.value)) {
              findings.push({
                message: `Unexpected ${describe(value)} with \`expand\`, expected a \`%placeholder%\``,
                place: value.range,
                severity: 'warning',
              });
            }
          } else if (info.kind === 'regex' || info.kind === 'fieldref') {
            if (value.type !== 'string') problem = 'a string';
          } else if (value.type === 'null' && !names.includes('exists')) {
            problem = 'a value (`null` cannot be ' + modifier.name + ')';
          }
          if (problem)
            findings.push({
              message: `Unexpected ${describe(value)} for \`|${modifier.name}\`, expected ${problem}`,
              place: value.range,
            });
        }
      }
    }
    return findings;
  },
};
