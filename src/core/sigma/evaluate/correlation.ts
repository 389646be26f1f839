/**
 * Correlation rules over a stream of timestamped events: event_count,
 * value_count, temporal, temporal_ordered, value_sum, value_avg and
 * value_percentile, with group-by (and aliases), timespan and condition.
 * Each group keeps only the matches inside its window, so memory is bounded
 * by the events of one timespan. A correlation fires when its condition
 * holds; the group's window is then cleared, so one burst gives one alert.
 */
import { scalarText, type EventView } from '../../events/view.ts';
import type { CorrelationCondition, SigmaCorrelation, SigmaRule } from '../model.ts';

/** A correlation that fired. */
export interface CorrelationAlert {
  correlation: SigmaCorrelation;
  /** Group-by values, by field (or alias). */
  group: Record<string, unknown>;
  /** Time of the event that completed it (ms since the epoch). */
  time: number;
  /** How many base-rule matches the window held. */
  count: number;
}

interface Hit {
  time: number;
  rule: number;
  value: unknown;
}

/**
 * Streams base-rule matches into correlations. Correlations chain: an alert of
 * one correlation is a match, for every correlation that names it (by `name`
 * or `id`) in its `rules`, at the alert's time, with the alert's group-by
 * values as its fields (then the completing event's).
 *
 * A condition that only grows true (`gt`, `gte`, or none) fires as soon as it
 * holds over the sliding window. A condition with an upper bound or an exact
 * value (`lt`, `lte`, `eq`, `neq`) can only be decided once the window is over
 * ("fewer than 3 events in 10 minutes" is true after the first event and false
 * after the third), so it is decided per window: the window opens at a
 * group's first match, closes `timespan` later, and is judged when a later
 * match of that group arrives or at {@link flush}.
 */
export class CorrelationRunner {
  private readonly items: {
    correlation: SigmaCorrelation;
    deferred: boolean;
    groups: Map<string, { group: Record<string, unknown>; hits: Hit[] }>;
  }[];

  constructor(correlations: readonly SigmaCorrelation[]) {
    this.items = correlations.map((correlation) => ({
      correlation,
      deferred: isDeferred(correlation.condition),
      groups: new Map(),
    }));
  }

  /**
   * Feeds one event and the base rules it matched; returns every correlation
   * that fired, the ones fed by other correlations' alerts included (after them).
   */
  push(matched: readonly SigmaRule[], ev: EventView, time: number): CorrelationAlert[] {
    const alerts: CorrelationAlert[] = [];
    const fromEvent = (field: string): unknown => ev.value(field);
    for (const rule of matched) this.feed([rule.id, rule.name, rule.title], fromEvent, time, alerts, undefined);
    return this.chain(alerts, 0, (field) => ev.value(field), time);
  }

  /**
   * Ends the stream: judges every window still open (conditions with an upper
   * bound) and returns the alerts, chained correlations included.
   */
  flush(): CorrelationAlert[] {
    const chained = this.chain(this.closeAllWindows(), 0, () => undefined, Number.NEGATIVE_INFINITY);
    // Chained correlations with an upper bound may have opened windows in the flush: judge them too.
    return [...chained, ...this.closeAllWindows()];
  }

  /** Judges every open window of the correlations with an upper bound, and forgets their groups. */
  private closeAllWindows(): CorrelationAlert[] {
    const alerts: CorrelationAlert[] = [];
    for (const item of this.items) {
      if (!item.deferred) continue;
      for (const state of item.groups.values())
        while (state.hits.length > 0) this.closeWindow(item.correlation, state, alerts);
      item.groups.clear();
    }
    return alerts;
  }

  /** Alerts feed the correlations that refer to them; a correlation never feeds itself. */
  private chain(
    alerts: CorrelationAlert[],
    from: number,
    fallback: (field: string) => unknown,
    time: number,
  ): CorrelationAlert[] {
    for (let i = from; i < alerts.length && i < 10_000; i++) {
      const alert = alerts[i]!;
      const fromAlert = (field: string): unknown =>
        Object.hasOwn(alert.group, field) ? alert.group[field] : fallback(field);
      this.feed(
        [alert.correlation.id, alert.correlation.name],
        fromAlert,
        Number.isFinite(time) ? time : alert.time,
        alerts,
        alert.correlation,
      );
    }
    return alerts;
  }

  private feed(
    names: (string | undefined)[],
    read: (field: string) => unknown,
    time: number,
    alerts: CorrelationAlert[],
    source: SigmaCorrelation | undefined,
  ): void {
    for (const item of this.items) {
      const { correlation } = item;
      if (correlation === source) continue;
      const ruleIndex = correlation.rules.findIndex((r) => names.includes(r));
      if (ruleIndex === -1) continue;
      const refName = correlation.rules[ruleIndex]!;
      const group: Record<string, unknown> = {};
      for (const g of correlation.groupBy) group[g] = read(correlation.aliases[g]?.[refName] ?? g) ?? null;
      const key = JSON.stringify(group);
      const state = item.groups.get(key) ?? { group, hits: [] };
      item.groups.set(key, state);
      const valueField = correlation.condition.field;
      const value = valueField ? read(correlation.aliases[valueField]?.[refName] ?? valueField) : undefined;
      const hits = state.hits;
      if (item.deferred) {
        // Judge every window this match is past, then let it open or join the next one.
        while (hits.length > 0 && time >= hits[0]!.time + correlation.timespanMs)
          this.closeWindow(correlation, state, alerts);
        hits.push({ time, rule: ruleIndex, value });
        continue;
      }
      hits.push({ time, rule: ruleIndex, value });
      const from = time - correlation.timespanMs;
      while (hits.length > 0 && hits[0]!.time < from) hits.shift();
      if (fires(correlation, hits)) {
        alerts.push({ correlation, group, time, count: hits.length });
        item.groups.delete(key);
      }
    }
  }

  /** Judges the window opened by the group's first match and drops its matches. */
  private closeWindow(
    correlation: SigmaCorrelation,
    state: { group: Record<string, unknown>; hits: Hit[] },
    alerts: CorrelationAlert[],
  ): void {
    const end = state.hits[0]!.time + correlation.timespanMs;
    let n = 0;
    while (n < state.hits.length && state.hits[n]!.time < end) n++;
    const window = state.hits.splice(0, Math.max(1, n));
    if (fires(correlation, window)) alerts.push({ correlation, group: state.group, time: end, count: window.length });
  }
}

/** Whether a condition can turn false again as matches arrive (so it is judged when its window closes). */
function isDeferred(c: CorrelationCondition): boolean {
  return c.lt !== undefined || c.lte !== undefined || c.eq !== undefined || c.neq !== undefined;
}

function fires(correlation: SigmaCorrelation, hits: Hit[]): boolean {
  const cond = correlation.condition;
  // As a string: the model may grow correlation types (value_min, value_max) before this file knows them.
  switch (correlation.correlationType as string) {
    case 'event_count':
      return holds(cond, hits.length);
    case 'value_count':
      return holds(
        cond,
        new Set(hits.map((h) => scalarText(h.value)?.toLowerCase()).filter((v) => v !== undefined)).size,
      );
    case 'value_sum':
      return holds(
        cond,
        numbers(hits).reduce((a, b) => a + b, 0),
      );
    case 'value_avg': {
      const n = numbers(hits);
      return n.length > 0 && holds(cond, n.reduce((a, b) => a + b, 0) / n.length);
    }
    case 'value_percentile': {
      const n = numbers(hits).sort((a, b) => a - b);
      if (n.length === 0) return false;
      const p = Math.min(100, Math.max(0, cond.percentile ?? 50));
      return holds(cond, n[Math.min(n.length - 1, Math.ceil((p / 100) * n.length) - 1)] ?? n[0]!);
    }
    case 'value_min':
    case 'value_max': {
      const n = numbers(hits);
      return n.length > 0 && holds(cond, correlation.correlationType === 'value_min' ? Math.min(...n) : Math.max(...n));
    }
    case 'temporal': {
      const seen = new Set(hits.map((h) => h.rule)).size;
      return hasThreshold(cond) ? holds(cond, seen) : seen === correlation.rules.length;
    }
    case 'temporal_ordered': {
      // The rules must occur in the listed order inside the window.
      let next = 0;
      for (const h of hits) if (h.rule === next) next++;
      return next === correlation.rules.length;
    }
    default:
      // A correlation type this evaluator does not know never fires.
      return false;
  }
}

function numbers(hits: Hit[]): number[] {
  return hits.map((h) => Number(scalarText(h.value))).filter((n) => !Number.isNaN(n));
}

function hasThreshold(c: CorrelationCondition): boolean {
  return (
    c.gt !== undefined ||
    c.gte !== undefined ||
    c.lt !== undefined ||
    c.lte !== undefined ||
    c.eq !== undefined ||
    c.neq !== undefined
  );
}

function holds(c: CorrelationCondition, n: number): boolean {
  if (!hasThreshold(c)) return n >= 1;
  return (
    (c.gt === undefined || n > c.gt) &&
    (c.gte === undefined || n >= c.gte) &&
    (c.lt === undefined || n < c.lt) &&
    (c.lte === undefined || n <= c.lte) &&
    (c.eq === undefined || n === c.eq) &&
    (c.neq === undefined || n !== c.neq)
  );
}

const TIME_FIELDS = [
  '@timestamp',
  'timestamp',
  'TimeCreated',
  'UtcTime',
  'EventTime',
  'eventTime', // AWS CloudTrail
  'published', // Okta System Log
  'TimeGenerated', // Azure Monitor / Sentinel tables
  'createdDateTime', // Entra ID sign-in and audit logs (Graph)
  'id.time', // Google Workspace / admin reports
  'time',
  'Event.System.TimeCreated.#attributes.SystemTime',
];

/** The event's time in ms since the epoch, from the usual timestamp fields; `fallback` when none parses. */
export function eventTime(ev: EventView, fallback: number): number {
  for (const field of TIME_FIELDS) {
    const v = ev.value(field);
    if (typeof v === 'number') return v > 1e12 ? v : v * 1000;
    const s = scalarText(v);
    if (s === undefined) continue;
    let text = s.trim().replace(' ', 'T');
    if (/^\d{4}-\d\d-\d\dT[\d:.]+$/.test(text)) text += 'Z';
    const t = Date.parse(text);
    if (!Number.isNaN(t)) return t;
  }
  return fallback;
}
