/**
 * The value modifiers of Sigma v2.1 as one table (name -> what it is), so
 * "unknown modifier, expected one of …" and the combination checks fall out
 * of the table instead of being scattered over validators.
 *
 * Specification: Sigma Modifiers Appendix v2.1.0 (generic, string, regular
 * expression, encoding, numeric, time, IP and specific modifiers).
 */

/** What a modifier does, which decides what it may be combined with. */
export type ModifierKind =
  /** `all`: values are linked with AND. */
  | 'logic'
  /** `contains`, `startswith`, `endswith`: where the value sits in the field. */
  | 'position'
  /** `base64`, `base64offset`, `utf16*`, `wide`, `windash`: transform a string value. */
  | 'encoding'
  /** `re` and its flags. */
  | 'regex'
  | 'regex-flag'
  /** `cidr`. */
  | 'cidr'
  /** `exists`. */
  | 'exists'
  /** `gt`, `gte`, `lt`, `lte`. */
  | 'compare'
  /** `neq`: not equal (string or number). */
  | 'negate'
  /** `minute` … `year`: extract a number from a date. */
  | 'time'
  /** `expand`: placeholders. */
  | 'expand'
  /** `fieldref`: the value names another field. */
  | 'fieldref'
  /** `cased`: case-sensitive matching. */
  | 'cased';

/** One modifier of the table. */
export interface ModifierInfo {
  kind: ModifierKind;
  /** Value types the modifier accepts as written in the rule. */
  values: readonly ('string' | 'number' | 'boolean' | 'null')[];
  /** Canonical name when this is an alias (`wide` -> `utf16le`). */
  aliasOf?: string;
}

const STRING = ['string'] as const;
const NUMBER = ['number'] as const;
const STRING_OR_NUMBER = ['string', 'number'] as const;

/** Every modifier the specification defines, by name as written in rules. */
export const MODIFIERS: Readonly<Record<string, ModifierInfo>> = {
  all: { kind: 'logic', values: ['string', 'number', 'boolean', 'null'] },
  contains: { kind: 'position', values: STRING_OR_NUMBER },
  startswith: { kind: 'position', values: STRING_OR_NUMBER },
  endswith: { kind: 'position', values: STRING_OR_NUMBER },
  exists: { kind: 'exists', values: ['boolean'] },
  cased: { kind: 'cased', values: STRING_OR_NUMBER },
  neq: { kind: 'negate', values: STRING_OR_NUMBER },
  windash: { kind: 'encoding', values: STRING },
  re: { kind: 'regex', values: STRING },
  i: { kind: 'regex-flag', values: STRING },
  m: { kind: 'regex-flag', values: STRING },
  s: { kind: 'regex-flag', values: STRING },
  ignorecase: { kind: 'regex-flag', values: STRING, aliasOf: 'i' },
  multiline: { kind: 'regex-flag', values: STRING, aliasOf: 'm' },
  dotall: { kind: 'regex-flag', values: STRING, aliasOf: 's' },
  base64: { kind: 'encoding', values: STRING_OR_NUMBER },
  base64offset: { kind: 'encoding', values: STRING_OR_NUMBER },
  utf16le: { kind: 'encoding', values: STRING_OR_NUMBER },
  utf16be: { kind: 'encoding', values: STRING_OR_NUMBER },
  utf16: { kind: 'encoding', values: STRING_OR_NUMBER },
  wide: { kind: 'encoding', values: STRING_OR_NUMBER, aliasOf: 'utf16le' },
  lt: { kind: 'compare', values: NUMBER },
  lte: { kind: 'compare', values: NUMBER },
  gt: { kind: 'compare', values: NUMBER },
  gte: { kind: 'compare', values: NUMBER },
  minute: { kind: 'time', values: STRING_OR_NUMBER },
  hour: { kind: 'time', values: STRING_OR_NUMBER },
  day: { kind: 'time', values: STRING_OR_NUMBER },
  week: { kind: 'time', values: STRING_OR_NUMBER },
  month: { kind: 'time', values: STRING_OR_NUMBER },
  year: { kind: 'time', values: STRING_OR_NUMBER },
  cidr: { kind: 'cidr', values: STRING },
  expand: { kind: 'expand', values: STRING },
  fieldref: { kind: 'fieldref', values: STRING },
};

/** Names of every modifier, for suggestions. */
export const MODIFIER_NAMES: readonly string[] = Object.keys(MODIFIERS);

/** The table entry of a modifier, or undefined when the name is unknown. */
export function modifierInfo(name: string): ModifierInfo | undefined {
  return Object.hasOwn(MODIFIERS, name) ? MODIFIERS[name] : undefined;
}
