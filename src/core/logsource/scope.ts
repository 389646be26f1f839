/**
 * Logsource scoping: which events a rule's `logsource` reads, from a table kept
 * as data (`windows-scoping.json`, extendable by users). A rule applies to an
 * event when the event satisfies the entries of every part the rule names:
 * product AND category AND service, each a list of alternatives. A rule whose
 * logsource names a part the table does not know applies to no event (it is
 * reported as unscoped), so a `dns_query` rule never fires on a process event.
 */
import { diagnostic, type Diagnostic } from '../diagnostics.ts';
import { EventView, fieldSlot, isRecord, scalarText, type JsonEvent } from '../events/view.ts';
import type { Logsource } from '../sigma/model.ts';
import otherTable from './other-scoping.json' with { type: 'json' };
import windowsTable from './windows-scoping.json' with { type: 'json' };

/** A value in the table: a scalar or any of a list. */
export type ScopeValue = string | number | boolean | (string | number | boolean)[];

/** One row: a logsource and the event shapes that belong to it. */
export interface LogsourceEntry {
  product?: string;
  category?: string;
  service?: string;
  /** Alternatives; each maps event fields to the value(s) they must have. */
  when: Record<string, ScopeValue>[];
}

/** Field copies for events of another shape (Security 4688 `NewProcessName` -> `Image`). */
export interface FieldCopy {
  when: Record<string, ScopeValue>;
  copy: Record<string, string>;
}

/** The whole scoping table. */
export interface ScopingTable {
  logsources: LogsourceEntry[];
  copies: FieldCopy[];
}

/** One test on one field. */
export interface ScopeAtom {
  field: string;
  test: (ev: EventView) => boolean;
  /** Lower-case values when the atom is plain equality on strings (used to index by Channel). */
  equals?: string[];
  /** The values when the atom is plain equality on numbers (used to index by EventID). */
  numbers?: number[];
  /** The atom holds when the field does NOT have the value(s) (`!Field` in the table). */
  negated?: boolean;
}

/** Alternatives (OR) of conjunctions (AND) of atoms. */
export type ScopeCondition = ScopeAtom[][];

/**
 * The built-in table: Windows (Sysmon, Security and the service channels, after
 * pySigma's pipelines), then the sources recognised by their event shape
 * (Sysmon for Linux, auditd, CloudTrail, Okta, Azure, GCP, Kubernetes, GitHub,
 * proxy, web server and DNS logs).
 */
export const DEFAULT_SCOPING_TABLE: ScopingTable = {
  logsources: [...(windowsTable as ScopingTable).logsources, ...(otherTable as ScopingTable).logsources],
  copies: [...(windowsTable as ScopingTable).copies, ...(otherTable as ScopingTable).copies],
};

/** Validates a table read from JSON or YAML; problems are diagnostics at the whole file. */
export function readScopingTable(value: unknown): { table: ScopingTable; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const table: ScopingTable = { logsources: [], copies: [] };
  if (!isRecord(value)) {
    diagnostics.push(
      diagnostic(
        'logsource/invalid-table',
        'error',
        'Unexpected logsource table, expected an object with `logsources`',
      ),
    );
    return { table, diagnostics };
  }
  const rows = Array.isArray(value.logsources) ? value.logsources : [];
  rows.forEach((row, i) => {
    if (
      !isRecord(row) ||
      !Array.isArray(row.when) ||
      !row.when.every(isRecord) ||
      !(row.product || row.category || row.service)
    ) {
      diagnostics.push(
        diagnostic(
          'logsource/invalid-entry',
          'error',
          `Unexpected entry \`logsources.${i}\`, expected \`product\`, \`category\` or \`service\` and a \`when\` list of objects`,
        ),
      );
      return;
    }
    const entry: LogsourceEntry = { when: row.when as Record<string, ScopeValue>[] };
    for (const k of ['product', 'category', 'service'] as const) if (typeof row[k] === 'string') entry[k] = row[k];
    table.logsources.push(entry);
  });
  const copies = Array.isArray(value.copies) ? value.copies : [];
  copies.forEach((c, i) => {
    if (isRecord(c) && isRecord(c.when) && isRecord(c.copy)) table.copies.push(c as unknown as FieldCopy);
    else
      diagnostics.push(
        diagnostic(
          'logsource/invalid-entry',
          'error',
          `Unexpected entry \`copies.${i}\`, expected \`when\` and \`copy\` objects`,
        ),
      );
  });
  return { table, diagnostics };
}

/** Extends a table: entries of `extra` replace entries of `base` for the same logsource, others are added. */
export function extendScopingTable(base: ScopingTable, extra: ScopingTable): ScopingTable {
  const key = (e: LogsourceEntry): string => entryKey(e.product, e.category, e.service);
  const replaced = new Set(extra.logsources.map(key));
  return {
    logsources: [...base.logsources.filter((e) => !replaced.has(key(e))), ...extra.logsources],
    copies: [...base.copies, ...extra.copies],
  };
}

/** The canonical key of a logsource (`windows/process_creation/`). */
export function entryKey(product?: string, category?: string, service?: string): string {
  return `${product?.toLowerCase() ?? ''}/${category?.toLowerCase() ?? ''}/${service?.toLowerCase() ?? ''}`;
}

/** A compiled table: conditions per logsource and field copies. */
export class LogsourceScope {
  private readonly entries = new Map<string, ScopeCondition>();
  private readonly copies: { when: ScopeAtom[]; copy: [string, string][] }[];

  constructor(table: ScopingTable = DEFAULT_SCOPING_TABLE) {
    for (const e of table.logsources)
      this.entries.set(entryKey(e.product, e.category, e.service), e.when.map(conjunction));
    this.copies = table.copies.map((c) => ({ when: conjunction(c.when), copy: Object.entries(c.copy) }));
  }

  /**
   * The condition events must meet for a rule with this logsource, or a reason
   * when the table does not know a part of it. A category or service is looked
   * up with the rule's product first, then without a product.
   */
  conditionFor(logsource: Logsource): { condition: ScopeCondition } | { unknown: string } {
    const { product, category, service } = logsource;
    if (!product && !category && !service) return { unknown: 'logsource names no product, category or service' };
    let condition: ScopeCondition = [[]];
    const parts: [string, ScopeCondition | undefined][] = [];
    if (product) parts.push([`product \`${product}\``, this.entries.get(entryKey(product))]);
    if (category)
      parts.push([
        `category \`${category}\``,
        this.entries.get(entryKey(product, category)) ?? this.entries.get(entryKey(undefined, category)),
      ]);
    if (service)
      parts.push([
        `service \`${service}\``,
        this.entries.get(entryKey(product, undefined, service)) ??
          this.entries.get(entryKey(undefined, undefined, service)),
      ]);
    for (const [label, part] of parts) {
      if (!part) return { unknown: `${label} is not in the logsource table` };
      condition = condition.flatMap((left) => part.map((right) => [...left, ...right]));
    }
    return { condition };
  }

  /** Adds the copied fields an event of another shape needs (in place; returns the event). */
  normalise(event: JsonEvent): JsonEvent {
    if (this.copies.length > 0) this.normaliseView(new EventView(event));
    return event;
  }

  /**
   * {@link normalise} through the view the rules will read (its per-event caches
   * are shared with the scope tests and dropped when a field is copied).
   */
  normaliseView(view: EventView): EventView {
    const event = view.fields;
    let copied = false;
    for (const c of this.copies) {
      if (!c.when.every((atom) => atom.test(view))) continue;
      for (const [from, to] of c.copy)
        if (event[from] !== undefined && event[to] === undefined) {
          event[to] = event[from];
          copied = true;
        }
    }
    if (copied) view.forget();
    return view;
  }
}

/** Whether an event meets a condition. */
export function meets(condition: ScopeCondition, ev: EventView): boolean {
  // Loops rather than some/every: this runs for every bucket an event reaches.
  for (let i = 0; i < condition.length; i++) {
    const conj = condition[i]!;
    let all = true;
    for (let k = 0; k < conj.length && all; k++) all = conj[k]!.test(ev);
    if (all) return true;
  }
  return false;
}

function conjunction(when: Record<string, ScopeValue>): ScopeAtom[] {
  return Object.entries(when).map(([field, expected]) => {
    // `!Field`: the field must NOT have any of the values (absent counts as not having them).
    if (!field.startsWith('!')) return atom(field, expected);
    const inner = atom(field.slice(1), expected);
    return { field: inner.field, test: (ev) => !inner.test(ev), negated: true };
  });
}

function atom(field: string, expected: ScopeValue): ScopeAtom {
  const values = Array.isArray(expected) ? expected : [expected];
  const slot = fieldSlot(field);
  const tests = values.map((v): ((ev: EventView) => boolean) => {
    if (typeof v === 'number')
      return (ev) => {
        const s = scalarText(ev.valueAt(slot, field));
        return s !== undefined && s.trim() !== '' && Number(s) === v;
      };
    const want = String(v).toLowerCase();
    if (want === '*') return (ev) => ev.lowerAt(slot, field) !== undefined;
    if (want.includes('*')) {
      const re = new RegExp('^' + want.split('*').map(escapeRegExp).join('.*') + '$', 's');
      return (ev) => {
        const s = ev.lowerAt(slot, field);
        return s !== undefined && re.test(s);
      };
    }
    return (ev) => ev.lowerAt(slot, field) === want;
  });
  const plain = values.every((v) => typeof v === 'string' && !v.includes('*'));
  let test: (ev: EventView) => boolean;
  if (plain) {
    // Plain strings: one lower-case read and a set lookup.
    const wanted = new Set(values.map((v) => String(v).toLowerCase()));
    test = (ev) => {
      const s = ev.lowerAt(slot, field);
      return s !== undefined && wanted.has(s);
    };
  } else
    test = (ev) => {
      for (let i = 0; i < tests.length; i++) if (tests[i]!(ev)) return true;
      return false;
    };
  const result: ScopeAtom = { field, test };
  if (plain) result.equals = values.map((v) => String(v).toLowerCase());
  if (values.every((v) => typeof v === 'number')) result.numbers = values as number[];
  return result;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
