import { describe, expect, it } from 'vitest';
import { EventView } from '../../../../src/core/events/view.ts';
import { CorrelationRunner } from '../../../../src/core/sigma/evaluate/correlation.ts';
import { runDetectionTests } from '../../../../src/core/sigma/evaluate/run-tests.ts';
import type { SigmaCorrelation, SigmaRule } from '../../../../src/core/sigma/model.ts';
import { parse, validDocument } from '../../../helpers/documents.ts';

const SIGMA = [
  'logsource:',
  '  category: process_creation',
  '  product: windows',
  'detection:',
  '  selection:',
  '    CommandLine|contains: " -enc "',
  '  condition: selection',
];

/** Three failures (one event_count alert) followed by a success, for the same user. */
const CHAIN = [
  'name: failure',
  'logsource: { product: windows, service: security }',
  'detection: { selection: { EventID: 4625 }, condition: selection }',
  '---',
  'name: success',
  'logsource: { product: windows, service: security }',
  'detection: { selection: { EventID: 4624 }, condition: selection }',
  '---',
  'name: many_failures',
  'correlation: { type: event_count, rules: [failure], group-by: [User], timespan: 10m, condition: { gte: 3 } }',
  '---',
  'title: Failures then success',
  'name: failures_then_success',
  'correlation: { type: temporal_ordered, rules: [many_failures, success], group-by: [User], timespan: 15m }',
];

const event = (id: number, user: string, minute: number): string =>
  JSON.stringify({ EventID: id, User: user, '@timestamp': `2026-01-01T10:${String(minute).padStart(2, '0')}:00Z` });

type Samples = Record<string, { expect: 'match' | 'no-match'; events: string[] }>;

/** A detection whose sigma block is the chain and whose samples are the given ndjson blocks. */
function chained(samples: Samples): string {
  return detectionWith(CHAIN, samples);
}

/** A detection with these sigma lines and these ndjson sample blocks. */
function detectionWith(sigma: string[], samples: Samples): string {
  let doc = validDocument().replace(SIGMA.join('\n'), sigma.join('\n'));
  const at = doc.indexOf('## Validation');
  const end = doc.indexOf('\n## ', at + 5);
  const blocks = Object.entries(samples)
    .map(([name, s]) => ['```ndjson expect=' + s.expect + ` name="${name}"`, ...s.events, '```', ''].join('\n'))
    .join('\n');
  doc = doc.slice(0, at) + '## Validation\n\n' + blocks + (end === -1 ? '' : doc.slice(end));
  return doc;
}

describe('runDetectionTests with chained correlations', () => {
  const failures = (user: string, n: number): string[] => Array.from({ length: n }, (_, i) => event(4625, user, i));
  const samples = {
    'failures then success': { expect: 'match' as const, events: [...failures('bob', 3), event(4624, 'bob', 5)] },
    'failures alone': { expect: 'no-match' as const, events: failures('bob', 4) },
    'success for another user': { expect: 'no-match' as const, events: [...failures('bob', 3), event(4624, 'eve', 5)] },
    'too few failures': { expect: 'no-match' as const, events: [...failures('bob', 2), event(4624, 'bob', 5)] },
  };

  it('decides by the outermost correlation only, fed by the intermediate one', () => {
    const { detection } = parse(chained(samples));
    expect(detection.sigma.map((d) => d.type)).toEqual(['rule', 'rule', 'correlation', 'correlation']);
    const result = runDetectionTests(detection, { requireSamplesFor: [] });
    expect(result.diagnostics).toEqual([]);
    expect(Object.fromEntries(result.samples.map((s) => [s.name, s.passed]))).toEqual({
      'failures then success': true,
      'failures alone': true,
      'success for another user': true,
      'too few failures': true,
    });
  });

  it('fails a no-match sample when the outermost correlation fires', () => {
    const { detection } = parse(
      chained({ wrong: { expect: 'no-match', events: [...failures('bob', 3), event(4624, 'bob', 5)] } }),
    );
    const [sample] = runDetectionTests(detection, { requireSamplesFor: [] }).samples;
    expect(sample!.passed).toBe(false);
    expect(sample!.failures[0]!.ruleId).toBe('test/unexpected-match');
  });
});

describe('CorrelationRunner chaining', () => {
  it('feeds an alert to the correlations that name it, with its group-by values', () => {
    const { detection } = parse(chained({}));
    const rules = detection.sigma.filter((d): d is SigmaRule => d.type === 'rule');
    const correlations = detection.sigma.filter((d): d is SigmaCorrelation => d.type === 'correlation');
    const runner = new CorrelationRunner(correlations);
    const fired: string[] = [];
    const push = (rule: SigmaRule, user: string, minute: number): void => {
      for (const a of runner.push([rule], new EventView({ User: user }), minute * 60_000))
        fired.push(`${minute}:${a.correlation.name}:${String(a.group.User)}`);
    };
    [0, 1, 2].forEach((m) => push(rules[0]!, 'bob', m));
    push(rules[1]!, 'eve', 3);
    push(rules[1]!, 'bob', 4);
    expect(fired).toEqual(['2:many_failures:bob', '4:failures_then_success:bob']);
  });
});

describe('runDetectionTests field mappings', () => {
  const rule = [
    'logsource: { product: windows, category: process_creation }',
    'detection:',
    '  selection:',
    "    Image|endswith: '\\\\rundll32.exe'",
    "    ParentImage|endswith: '\\\\winword.exe'",
    '  condition: selection',
  ];
  // A real-shaped Security 4688 record as evtx_dump writes it: no Image, no ParentImage.
  const security4688 = JSON.stringify({
    Event: {
      System: { EventID: 4688, Channel: 'Security', Computer: 'ws01.corp.local', Provider: {} },
      EventData: {
        SubjectUserName: 'alice',
        NewProcessName: 'C:\\Windows\\System32\\rundll32.exe',
        ParentProcessName: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE',
        CommandLine: 'rundll32.exe C:\\Users\\alice\\AppData\\Local\\Temp\\a.dll,Start',
      },
    },
  });
  const otherParent = security4688.replace('WINWORD.EXE', 'explorer.exe');

  it('maps Security 4688 NewProcessName/ParentProcessName to Image/ParentImage, as the standard pipeline does', () => {
    const { detection } = parse(
      detectionWith(rule, {
        '4688 from Word': { expect: 'match', events: [security4688] },
        '4688 from Explorer': { expect: 'no-match', events: [otherParent] },
      }),
    );
    const result = runDetectionTests(detection, { requireSamplesFor: [] });
    expect(result.samples.map((s) => [s.name, s.passed])).toEqual([
      ['4688 from Word', true],
      ['4688 from Explorer', true],
    ]);
    // Without the table's copies, the 4688 event has no Image and cannot match.
    const raw = runDetectionTests(detection, { requireSamplesFor: [], scope: null });
    expect(raw.samples[0]!.passed).toBe(false);
  });
});

describe('RuleEngine on non-Windows events', () => {
  it('reaches shape-scoped rules through their key (CloudTrail, Okta with a dotted field) and nothing else', async () => {
    const { RuleEngine } = await import('../../../../src/core/sigma/evaluate/engine.ts');
    const { parseSigmaBlock } = await import('../../../../src/core/sigma/parse.ts');
    const { wholeFile } = await import('../../../../src/core/text/source.ts');
    const yaml = [
      'title: trail stopped',
      'logsource: { product: aws, service: cloudtrail }',
      'detection: { selection: { eventName: StopLogging }, condition: selection }',
      '---',
      'title: okta admin',
      'logsource: { product: okta, service: okta }',
      'detection: { selection: { actor.alternateId|endswith: "@corp.com" }, condition: selection }',
      '---',
      'title: proc',
      'logsource: { product: windows, category: process_creation }',
      'detection: { selection: { CommandLine|contains: StopLogging }, condition: selection }',
    ].join('\n');
    const engine = new RuleEngine(parseSigmaBlock(wholeFile(yaml)).documents);
    const titles = (event: Record<string, unknown>): string[] => engine.match(event).map((r) => r.rule.title!);
    expect(titles({ eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging' })).toEqual(['trail stopped']);
    expect(titles({ eventType: 'user.session.start', actor: { alternateId: 'a@corp.com' } })).toEqual(['okta admin']);
    expect(titles({ eventName: 'StopLogging', CommandLine: 'StopLogging' })).toEqual([]);
  });

  it('finds non-ASCII needles (emoji, homoglyphs) and skips their automaton for ASCII text', async () => {
    const { RuleEngine } = await import('../../../../src/core/sigma/evaluate/engine.ts');
    const { parseSigmaBlock } = await import('../../../../src/core/sigma/parse.ts');
    const { wholeFile } = await import('../../../../src/core/text/source.ts');
    const yaml = [
      'title: emoji',
      'logsource: { product: windows, category: process_creation }',
      "detection: { selection: { CommandLine|contains: ['😈', 'ɑ'] }, condition: selection }",
    ].join('\n');
    const engine = new RuleEngine(parseSigmaBlock(wholeFile(yaml)).documents);
    const event = (cmd: string): Record<string, unknown> => ({
      Channel: 'Microsoft-Windows-Sysmon/Operational',
      EventID: 1,
      CommandLine: cmd,
    });
    expect(engine.match(event('powershell -c "😈"')).length).toBe(1);
    expect(engine.match(event('cmd /c echo ɑ')).length).toBe(1);
    expect(engine.match(event('cmd /c echo a')).length).toBe(0);
    expect(engine.match(event('cmd /c echo é')).length).toBe(0);
  });
});
