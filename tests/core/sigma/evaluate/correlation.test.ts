import { describe, expect, it } from 'vitest';
import { EventView } from '../../../../src/core/events/view.ts';
import { CorrelationRunner, eventTime } from '../../../../src/core/sigma/evaluate/correlation.ts';
import type { CorrelationType, SigmaCorrelation, SigmaRule } from '../../../../src/core/sigma/model.ts';
import { fields, rule } from './build.ts';

const failed = rule({ selection: fields({ EventID: 4625 }) }, undefined, { id: 'failed', title: 'failed logon' });
const success = rule({ selection: fields({ EventID: 4624 }) }, undefined, { id: 'success', title: 'logon' });

function correlation(
  type: CorrelationType,
  rules: string[],
  condition: SigmaCorrelation['condition'],
  groupBy = ['User'],
): SigmaCorrelation {
  return {
    ...rule({}),
    type: 'correlation',
    correlationType: type,
    rules,
    groupBy,
    timespanMs: 60_000,
    timespan: '1m',
    condition,
    aliases: {},
    generate: false,
  } as unknown as SigmaCorrelation;
}

/** Feeds [seconds, rule, fields] and returns the seconds at which it fired. */
function run(c: SigmaCorrelation, stream: [number, SigmaRule, Record<string, unknown>][]): number[] {
  const runner = new CorrelationRunner([c]);
  return stream.flatMap(([s, r, f]) => runner.push([r], new EventView(f), s * 1000).map((a) => a.time / 1000));
}

/** Like {@link run}, then ends the stream: [seconds, count] of every alert, flushed ones last. */
function runToEnd(c: SigmaCorrelation, stream: [number, SigmaRule, Record<string, unknown>][]): [number, number][] {
  const runner = new CorrelationRunner([c]);
  const alerts = stream.flatMap(([s, r, f]) => runner.push([r], new EventView(f), s * 1000));
  return [...alerts, ...runner.flush()].map((a) => [a.time / 1000, a.count]);
}

describe('correlations', () => {
  it('an upper bound (lt) is judged when the window closes, not at the first match', () => {
    const c = correlation('event_count', ['failed'], { lt: 3 });
    // User a: 2 matches in its first minute (fires when the window ends), user b: 3 (never fires).
    expect(
      runToEnd(c, [
        [0, failed, { User: 'a' }],
        [5, failed, { User: 'b' }],
        [10, failed, { User: 'a' }],
        [15, failed, { User: 'b' }],
        [20, failed, { User: 'b' }],
      ]),
    ).toEqual([[60, 2]]);
    // A later match of the group closes the earlier window and opens the next one.
    expect(
      runToEnd(c, [
        [0, failed, { User: 'a' }],
        [90, failed, { User: 'a' }],
      ]),
    ).toEqual([
      [60, 1],
      [150, 1],
    ]);
    const runner = new CorrelationRunner([c]);
    expect(runner.push([failed], new EventView({ User: 'a' }), 0)).toEqual([]);
  });

  it('eq needs the exact count in the window', () => {
    const c = correlation('event_count', ['failed'], { eq: 2 });
    const twice: [number, SigmaRule, Record<string, unknown>][] = [
      [0, failed, { User: 'a' }],
      [30, failed, { User: 'a' }],
    ];
    expect(runToEnd(c, twice)).toEqual([[60, 2]]);
    expect(runToEnd(c, [...twice, [40, failed, { User: 'a' }]])).toEqual([]);
  });

  it('event_count with group-by and timespan', () => {
    const c = correlation('event_count', ['failed'], { gte: 3 });
    const fired = run(c, [
      [0, failed, { User: 'a' }],
      [10, failed, { User: 'b' }],
      [20, failed, { User: 'a' }],
      [100, failed, { User: 'a' }], // the first two of `a` are out of the window now
      [110, failed, { User: 'a' }],
      [120, failed, { User: 'a' }],
    ]);
    expect(fired).toEqual([120]);
  });

  it('value_count counts distinct values', () => {
    const c = correlation('value_count', ['failed'], { gte: 2, field: 'Host' });
    expect(
      run(c, [
        [0, failed, { User: 'a', Host: 'x' }],
        [1, failed, { User: 'a', Host: 'X' }],
        [2, failed, { User: 'a', Host: 'y' }],
      ]),
    ).toEqual([2]);
  });

  it('temporal needs every rule in the window, in any order', () => {
    const c = correlation('temporal', ['failed', 'success'], {});
    expect(
      run(c, [
        [0, success, { User: 'a' }],
        [5, failed, { User: 'a' }],
      ]),
    ).toEqual([5]);
    expect(
      run(c, [
        [0, success, { User: 'a' }],
        [500, failed, { User: 'a' }],
      ]),
    ).toEqual([]);
  });

  it('temporal_ordered needs the listed order', () => {
    const c = correlation('temporal_ordered', ['failed', 'success'], {});
    expect(
      run(c, [
        [0, success, { User: 'a' }],
        [5, failed, { User: 'a' }],
      ]),
    ).toEqual([]);
    expect(
      run(c, [
        [0, failed, { User: 'a' }],
        [5, success, { User: 'a' }],
      ]),
    ).toEqual([5]);
  });

  it('value_sum and value_avg', () => {
    expect(
      run(correlation('value_sum', ['failed'], { gt: 10, field: 'Bytes' }), [
        [0, failed, { User: 'a', Bytes: 6 }],
        [1, failed, { User: 'a', Bytes: '6' }],
      ]),
    ).toEqual([1]);
    expect(
      run(correlation('value_avg', ['failed'], { gte: 5, field: 'Bytes' }), [
        [0, failed, { User: 'a', Bytes: 4 }],
        [1, failed, { User: 'a', Bytes: 6 }],
      ]),
    ).toEqual([1]);
  });

  it('reads event times from the usual fields', () => {
    expect(eventTime(new EventView({ UtcTime: '2026-04-20 10:00:35.640' }), 0)).toBe(
      Date.UTC(2026, 3, 20, 10, 0, 35, 640),
    );
    expect(eventTime(new EventView({ '@timestamp': '2026-04-20T10:00:00Z' }), 0)).toBe(Date.UTC(2026, 3, 20, 10));
    expect(eventTime(new EventView({}), 42)).toBe(42);
  });

  it('reads the timestamps of cloud and identity logs', () => {
    const t = Date.UTC(2026, 3, 20, 10, 0, 5);
    expect(eventTime(new EventView({ eventTime: '2026-04-20T10:00:05Z' }), 0)).toBe(t); // CloudTrail
    expect(eventTime(new EventView({ published: '2026-04-20T10:00:05.000Z' }), 0)).toBe(t); // Okta
    expect(eventTime(new EventView({ TimeGenerated: '2026-04-20T10:00:05Z' }), 0)).toBe(t); // Sentinel
    expect(eventTime(new EventView({ createdDateTime: '2026-04-20T10:00:05Z' }), 0)).toBe(t); // Entra ID
    expect(eventTime(new EventView({ id: { time: '2026-04-20T10:00:05.000Z' } }), 0)).toBe(t); // Workspace
  });
});
