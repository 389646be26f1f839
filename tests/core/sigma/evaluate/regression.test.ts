/**
 * The real-world bar: with every SigmaHQ `rules*` rule loaded and logsource
 * scoping on, each rule of `regression_data/` matches its own sample at least
 * `match_count` times, and no rule fires on an event of another logsource.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { EventView } from '../../../../src/core/events/view.ts';
import { splitJsonRecords } from '../../../../src/core/events/records.ts';
import { LogsourceScope, meets } from '../../../../src/core/logsource/scope.ts';
import { flattenWindowsEvent } from '../../../../src/core/logsource/windows.ts';
import { RuleEngine } from '../../../../src/core/sigma/evaluate/engine.ts';
import type { SigmaDocument } from '../../../../src/core/sigma/model.ts';
import { parseSigmaBlock } from '../../../../src/core/sigma/parse.ts';
import { wholeFile } from '../../../../src/core/text/source.ts';
import { corpus, filesUnder, sigmaRuleFiles } from '../../../helpers/corpus.ts';

const regression = corpus('corpus/sigmahq/regression_data');
const present = regression.available;
const SIGMAHQ = dirname(regression.path);

interface Case {
  name: string;
  ruleId: string;
  expected: number;
  events: Record<string, unknown>[];
}

/** Sysmon EventIDs each category may read (an independent restatement of the pipelines). */
const SYSMON_IDS: Record<string, number[]> = {
  process_creation: [1],
  network_connection: [3],
  image_load: [7],
  process_access: [10],
  file_event: [11],
  registry_add: [12],
  registry_delete: [12],
  registry_set: [13],
  registry_rename: [14],
  registry_event: [12, 13, 14],
  dns_query: [22],
  pipe_created: [17, 18],
  create_remote_thread: [8],
  driver_load: [6],
};

describe.skipIf(!present)('SigmaHQ regression data', () => {
  let engine: RuleEngine;
  const cases: Case[] = [];

  beforeAll(() => {
    const documents: SigmaDocument[] = [];
    for (const file of sigmaRuleFiles(SIGMAHQ))
      documents.push(...parseSigmaBlock(wholeFile(readFileSync(file, 'utf8'))).documents);
    expect(documents.filter((d) => d.type === 'rule').length).toBeGreaterThan(3700);
    engine = new RuleEngine(documents);
    for (const info of filesUnder(join(SIGMAHQ, 'regression_data'), /^info\.yml$/)) {
      const meta = parseYaml(readFileSync(info, 'utf8')) as {
        rule_metadata: { id: string }[];
        regression_tests_info: { match_count?: number; path: string }[];
      };
      const dir = dirname(info);
      for (const test of meta.regression_tests_info) {
        const json = join(
          dir,
          test.path
            .split('/')
            .at(-1)!
            .replace(/\.evtx$/, '.json'),
        );
        const events = splitJsonRecords(readFileSync(json, 'utf8')).flatMap((r) => (r.ok ? [r.value] : []));
        cases.push({
          name: dir.split('/').at(-1)!,
          ruleId: meta.rule_metadata[0]!.id,
          expected: test.match_count ?? 1,
          events,
        });
      }
    }
  }, 120_000);

  it('finds the 51 regression cases', () => {
    expect(cases.length).toBe(51);
  });

  it('matches each rule on its own sample at least match_count times', () => {
    const short: string[] = [];
    for (const c of cases) {
      let n = 0;
      for (const e of c.events) if (engine.match(flattenWindowsEvent(e)).some((r) => r.rule.id === c.ruleId)) n++;
      if (n < c.expected) short.push(`${c.name}: ${n} < ${c.expected}`);
    }
    expect(short).toEqual([]);
  });

  it('never fires a rule on an event of another logsource', () => {
    const wrong: string[] = [];
    for (const c of cases)
      for (const e of c.events) {
        const flat = new EventView(flattenWindowsEvent(e));
        const channel = String(flat.value('Channel'));
        const id = Number(flat.value('EventID'));
        for (const r of engine.match(flat.fields)) {
          const ls = r.rule.logsource;
          if (ls.product && ls.product !== 'windows') wrong.push(`${r.rule.title}: product ${ls.product}`);
          if (
            ls.category &&
            channel === 'Microsoft-Windows-Sysmon/Operational' &&
            !SYSMON_IDS[ls.category]?.includes(id)
          )
            wrong.push(`${r.rule.title}: ${ls.category} on Sysmon ${id}`);
          if (ls.service && ls.service !== 'sysmon' && channel === 'Microsoft-Windows-Sysmon/Operational')
            wrong.push(`${r.rule.title}: service ${ls.service} on Sysmon`);
        }
      }
    expect(wrong).toEqual([]);
  });

  it('gives exactly the matches of a naive loop over every scoped rule (the index only skips rules that cannot match)', () => {
    const scope = new LogsourceScope();
    const conditions = engine.rules.map((r) => {
      const c = scope.conditionFor(r.rule.logsource);
      return 'condition' in c ? c.condition : [];
    });
    const differences: string[] = [];
    let total = 0;
    for (const c of cases)
      for (const [i, e] of c.events.entries()) {
        const indexed = engine.match(engine.view(flattenWindowsEvent(structuredClone(e)))).map((r) => r.key);
        const view = engine.view(flattenWindowsEvent(structuredClone(e)));
        const naive = engine.rules.filter((r, k) => meets(conditions[k]!, view) && r.match(view)).map((r) => r.key);
        total += naive.length;
        if (JSON.stringify(indexed) !== JSON.stringify(naive))
          differences.push(`${c.name}#${i}: indexed ${indexed.join(',')} vs naive ${naive.join(',')}`);
      }
    expect(differences).toEqual([]);
    expect(total).toBeGreaterThan(60);
  });

  it('gives the naive matches on altered events too (other EventIDs, upper case, values moved between events)', () => {
    const scope = new LogsourceScope();
    const conditions = engine.rules.map((r) => {
      const c = scope.conditionFor(r.rule.logsource);
      return 'condition' in c ? c.condition : [];
    });
    const flat = cases.flatMap((c) => c.events.map((e) => flattenWindowsEvent(structuredClone(e))));
    const altered: Record<string, unknown>[] = [];
    for (const [i, e] of flat.entries()) {
      const other = flat[(i + 7) % flat.length]!;
      // Values of another event under this event's names (CommandLine of one, Image of another…).
      altered.push(
        Object.fromEntries(
          Object.entries(e).map(([k, v]) => [k, k in other && k !== 'EventID' && k !== 'Channel' ? other[k] : v]),
        ),
      );
      altered.push(
        Object.fromEntries(
          Object.entries(e).map(([k, v]) => [k, typeof v === 'string' && k !== 'Channel' ? v.toUpperCase() : v]),
        ),
      );
      altered.push({ ...e, EventID: Number(e.EventID) });
      if (i % 6 === 0) for (let id = 1; id <= 29; id++) altered.push({ ...e, EventID: String(id) });
    }
    const differences: string[] = [];
    let total = 0;
    for (const [i, e] of altered.entries()) {
      const indexed = engine.match(engine.view(structuredClone(e))).map((r) => r.key);
      const view = engine.view(structuredClone(e));
      const naive = engine.rules.filter((r, k) => meets(conditions[k]!, view) && r.match(view)).map((r) => r.key);
      total += naive.length;
      if (JSON.stringify(indexed) !== JSON.stringify(naive))
        differences.push(`altered #${i}: indexed ${indexed.join(',')} vs naive ${naive.join(',')}`);
    }
    expect(differences).toEqual([]);
    expect(total).toBeGreaterThan(100);
  }, 60_000);

  it('reaches most rules through an anchor rather than trying them on every event', () => {
    expect(engine.anchoredCount / engine.rules.length).toBeGreaterThan(0.8);
  });
});
