import { describe, expect, it } from 'vitest';
import { EventView } from '../../../src/core/events/view.ts';
import {
  extendScopingTable,
  LogsourceScope,
  meets,
  readScopingTable,
  DEFAULT_SCOPING_TABLE,
} from '../../../src/core/logsource/scope.ts';
import { flattenWindowsEvent } from '../../../src/core/logsource/windows.ts';
import { RuleEngine } from '../../../src/core/sigma/evaluate/engine.ts';
import { parseSigmaBlock } from '../../../src/core/sigma/parse.ts';
import { wholeFile } from '../../../src/core/text/source.ts';

const SYSMON = 'Microsoft-Windows-Sysmon/Operational';
const scope = new LogsourceScope();

// [logsource, event, applies]
const table: [Record<string, string>, Record<string, unknown>, boolean][] = [
  [{ product: 'windows', category: 'process_creation' }, { Channel: SYSMON, EventID: 1 }, true],
  [{ product: 'windows', category: 'process_creation' }, { Channel: 'Security', EventID: '4688' }, true],
  [{ product: 'windows', category: 'process_creation' }, { Channel: SYSMON, EventID: 22 }, false],
  [{ product: 'windows', category: 'dns_query' }, { Channel: SYSMON, EventID: 1 }, false],
  [{ product: 'windows', category: 'dns_query' }, { Channel: SYSMON, EventID: 22 }, true],
  [{ product: 'windows', category: 'registry_event' }, { Channel: SYSMON, EventID: 14 }, true],
  [{ product: 'windows', service: 'security' }, { Channel: 'security', EventID: 4624 }, true],
  [{ product: 'windows', service: 'security' }, { Channel: SYSMON, EventID: 1 }, false],
  [{ product: 'windows' }, { Channel: 'Anything' }, true],
  [{ product: 'windows' }, { message: 'not windows' }, false],
  [
    { product: 'windows', category: 'ps_script' },
    { Channel: 'Microsoft-Windows-PowerShell/Operational', EventID: 4104 },
    true,
  ],
];

const LINUX_SYSMON = 'Linux-Sysmon/Operational';
const cloudtrail = { eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey', awsRegion: 'us-east-1' };
const okta = { eventType: 'user.session.start', actor: { alternateId: 'a@corp.com', type: 'User' } };
const auditd = { type: 'SYSCALL', syscall: '257', exe: '/usr/bin/cat', key: 'shadow_read' };
const signin = { Category: 'SignInLogs', OperationName: 'Sign-in activity', ResultType: '0' };
const gcpAudit = { protoPayload: { '@type': 'type.googleapis.com/google.cloud.audit.AuditLog', methodName: 'x' } };
const k8s = { kind: 'Event', apiVersion: 'audit.k8s.io/v1', verb: 'create' };
const proxy = { 'c-uri': 'http://1.2.3.4/a.exe', 'cs-method': 'GET' };
const web = { 'cs-uri-stem': '/index.php', 'cs-method': 'GET', 'sc-status': 200 };
const dns = { query: 'a.example.com', record_type: 'TXT' };

// Sources recognised by their event shape: [logsource, event, applies].
const shapes: [Record<string, string>, Record<string, unknown>, boolean][] = [
  [{ product: 'linux', category: 'process_creation' }, { Channel: LINUX_SYSMON, EventID: 1 }, true],
  [{ product: 'linux', category: 'process_creation' }, { Channel: LINUX_SYSMON, EventID: 3 }, false],
  [{ product: 'linux', category: 'process_creation' }, { Channel: SYSMON, EventID: 1 }, false],
  [{ product: 'linux', category: 'network_connection' }, { Channel: LINUX_SYSMON, EventID: 3 }, true],
  [{ product: 'linux', category: 'file_event' }, { Channel: LINUX_SYSMON, EventID: 11 }, true],
  [{ product: 'windows', category: 'process_creation' }, { Channel: LINUX_SYSMON, EventID: 1 }, false],
  [{ product: 'windows' }, { Channel: LINUX_SYSMON, EventID: 1 }, false],
  [{ product: 'linux', service: 'auditd' }, auditd, true],
  [{ product: 'linux', service: 'auditd' }, { type: 'User', name: 'x' }, false],
  [{ product: 'linux', service: 'auditd' }, { Channel: LINUX_SYSMON, EventID: 1 }, false],
  [{ product: 'linux' }, auditd, true],
  [{ product: 'linux', category: 'process_creation' }, auditd, false],
  [{ product: 'aws', service: 'cloudtrail' }, cloudtrail, true],
  [{ product: 'aws', service: 'cloudtrail' }, okta, false],
  [{ product: 'aws', service: 'cloudtrail' }, { eventSource: 'Microsoft-Windows-Security' }, false],
  [{ product: 'okta', service: 'okta' }, okta, true],
  [{ product: 'okta', service: 'okta' }, cloudtrail, false],
  [{ product: 'okta', service: 'okta' }, { eventType: 'email_forwarding_change', id: { applicationName: 'x' } }, false],
  [{ product: 'azure', service: 'signinlogs' }, signin, true],
  [{ product: 'azure', service: 'auditlogs' }, signin, false],
  [{ product: 'azure', service: 'signinlogs' }, okta, false],
  [{ product: 'gcp', service: 'gcp.audit' }, gcpAudit, true],
  [{ product: 'gcp', service: 'gcp.audit' }, cloudtrail, false],
  [{ product: 'kubernetes', category: 'application', service: 'audit' }, k8s, true],
  [{ category: 'proxy' }, proxy, true],
  [{ category: 'proxy' }, web, false],
  [{ category: 'webserver' }, web, true],
  [{ category: 'webserver' }, proxy, false],
  [{ category: 'dns' }, dns, true],
  [{ category: 'dns' }, { Channel: SYSMON, EventID: 1, query: 'x' }, false],
  [{ product: 'windows', category: 'dns_query' }, dns, false],
  [{ product: 'windows', category: 'dns_query' }, { Channel: LINUX_SYSMON, EventID: 1 }, false],
  // Nothing but Windows reads a Windows process event.
  [{ category: 'dns' }, { Channel: SYSMON, EventID: 1, Image: 'C:\\x.exe' }, false],
  [{ product: 'aws' }, { Channel: SYSMON, EventID: 1 }, false],
  [{ product: 'linux' }, { Channel: SYSMON, EventID: 1 }, false],
];

describe('logsource scoping by event shape (non-Windows)', () => {
  it.each(shapes)('%j on %j -> %s', (logsource, event, applies) => {
    const result = scope.conditionFor(logsource);
    expect(result).toHaveProperty('condition');
    if ('condition' in result) expect(meets(result.condition, new EventView(event))).toBe(applies);
  });
});

describe('logsource scoping', () => {
  it.each(table)('%j on %j -> %s', (logsource, event, applies) => {
    const result = scope.conditionFor(logsource);
    expect('condition' in result).toBe(true);
    if ('condition' in result) expect(meets(result.condition, new EventView(event))).toBe(applies);
  });

  it('reports logsources the table does not know', () => {
    expect(scope.conditionFor({ product: 'macos', category: 'process_creation' })).toEqual({
      unknown: 'product `macos` is not in the logsource table',
    });
    expect(scope.conditionFor({})).toHaveProperty('unknown');
  });

  it('is extended by user tables, entry by entry', () => {
    const { table: extra, diagnostics } = readScopingTable({
      logsources: [
        { product: 'linux', when: [{ host_os: 'linux' }] },
        { product: 'windows', category: 'dns_query', when: [{ EventID: 3008 }] },
      ],
    });
    expect(diagnostics).toEqual([]);
    const extended = new LogsourceScope(extendScopingTable(DEFAULT_SCOPING_TABLE, extra));
    const dns = extended.conditionFor({ product: 'windows', category: 'dns_query' });
    expect('condition' in dns && meets(dns.condition, new EventView({ Channel: 'x', EventID: 3008 }))).toBe(true);
    expect('condition' in dns && meets(dns.condition, new EventView({ Channel: SYSMON, EventID: 22 }))).toBe(false);
    expect(extended.conditionFor({ product: 'linux' })).toHaveProperty('condition');
  });

  it('rejects malformed tables with a diagnostic', () => {
    expect(readScopingTable({ logsources: [{ when: 'x' }] }).diagnostics.map((d) => d.ruleId)).toEqual([
      'logsource/invalid-entry',
    ]);
    expect(readScopingTable([]).diagnostics.map((d) => d.ruleId)).toEqual(['logsource/invalid-table']);
  });

  it('copies Security 4688 fields to the Sysmon names', () => {
    const event = scope.normalise({ Channel: 'Security', EventID: 4688, NewProcessName: 'C:\\a.exe' });
    expect(event.Image).toBe('C:\\a.exe');
  });
});

describe('flattenWindowsEvent', () => {
  it('flattens evtx_dump records', () => {
    const flat = flattenWindowsEvent({
      Event: {
        System: {
          Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon', Guid: '{5770}' } },
          EventID: { '#text': 1, '#attributes': { Qualifiers: '' } },
          Channel: SYSMON,
          Computer: 'pc',
          TimeCreated: { '#attributes': { SystemTime: '2026-01-01T00:00:00Z' } },
        },
        EventData: { Image: 'C:\\x.exe', '#attributes': { Name: 'x' }, 'Threat Name': 'EICAR' },
      },
    });
    expect(flat).toMatchObject({
      Image: 'C:\\x.exe',
      EventID: 1,
      Channel: SYSMON,
      Computer: 'pc',
      Provider_Name: 'Microsoft-Windows-Sysmon',
      TimeCreated: '2026-01-01T00:00:00Z',
      ThreatName: 'EICAR',
    });
    expect(flat).not.toHaveProperty('#attributes');
  });

  it('flattens UserData and Data lists, and leaves other events alone', () => {
    const flat = flattenWindowsEvent({
      Event: { System: { EventID: 5858 }, UserData: { Op: { '#attributes': {}, User: 'u', ResultCode: '0x1' } } },
    });
    expect(flat).toMatchObject({ User: 'u', ResultCode: '0x1', EventID: 5858 });
    const list = flattenWindowsEvent({
      Event: { System: {}, EventData: { Data: [{ '#attributes': { Name: 'A' }, '#text': 'v' }] } },
    });
    expect(list).toMatchObject({ A: 'v' });
    const plain = { a: 1 };
    expect(flattenWindowsEvent(plain)).toBe(plain);
  });

  it('copies plain EventData whole and keeps its fields over System fields of the same name', () => {
    const data = { Image: 'C:\\x.exe', EventID: '7', Computer: null };
    const flat = flattenWindowsEvent({
      Event: {
        System: {
          EventID: 1,
          Computer: 'pc',
          Level: { '#text': 4 },
          Execution: { '#attributes': { ProcessID: 12, ThreadID: 13 } },
          Security: { '#attributes': { UserID: 'S-1-5-18' } },
        },
        EventData: data,
      },
    });
    expect(flat).toEqual({
      Image: 'C:\\x.exe',
      EventID: '7',
      Computer: null,
      Level: 4,
      ExecutionProcessID: 12,
      ExecutionThreadID: 13,
      SecurityUserID: 'S-1-5-18',
    });
    expect(data).toEqual({ Image: 'C:\\x.exe', EventID: '7', Computer: null });
  });

  it('adds every System field, except one whose name EventData has', () => {
    const system = {
      Provider: { '#attributes': { Name: 'P', Guid: '{G}', EventSourceName: 'S' } },
      EventID: 1,
      Version: 5,
      Level: 4,
      Task: 1,
      Opcode: 0,
      Keywords: '0x8000000000000000',
      TimeCreated: { '#attributes': { SystemTime: 'T' } },
      EventRecordID: 9,
      Execution: { '#attributes': { ProcessID: 12, ThreadID: 13 } },
      Channel: SYSMON,
      Computer: 'pc',
      Security: { '#attributes': { UserID: 'S-1-5-18' } },
    };
    const all = {
      EventID: 1,
      Channel: SYSMON,
      Computer: 'pc',
      Provider_Name: 'P',
      Provider_Guid: '{G}',
      EventSourceName: 'S',
      Version: 5,
      Level: 4,
      Task: 1,
      Opcode: 0,
      Keywords: '0x8000000000000000',
      EventRecordID: 9,
      TimeCreated: 'T',
      ExecutionProcessID: 12,
      ExecutionThreadID: 13,
      SecurityUserID: 'S-1-5-18',
    };
    // Names close to System ones (`Company`, `Computed`) are not taken for them.
    const free = flattenWindowsEvent({ Event: { System: system, EventData: { Company: 'c', Computed: 'k' } } });
    expect(free).toEqual({ Company: 'c', Computed: 'k', ...all });
    for (const name of Object.keys(all)) {
      const taken = flattenWindowsEvent({ Event: { System: system, EventData: { Image: 'i', [name]: 'data' } } });
      expect(taken).toEqual({ ...all, Image: 'i', [name]: 'data' });
    }
  });
});

describe('the rule index', () => {
  // A rule that holds on any event (`not` an impossible value) is reached exactly on the events of its logsource:
  // the index (by channel and EventID, channel, or a key each alternative needs) never hides a bucket.
  it.each([...table, ...shapes])('reaches a rule for %j on %j -> %s', (logsource, event, applies) => {
    const fields = Object.entries(logsource)
      .map(([k, v]) => `    ${k}: ${v}`)
      .join('\n');
    const yaml = `title: t\nlogsource:\n${fields}\ndetection:\n    sel:\n        NoSuchField: impossible\n    condition: not sel\n`;
    const engine = new RuleEngine(parseSigmaBlock(wholeFile(yaml)).documents);
    expect(engine.skipped).toEqual([]);
    expect(engine.match(structuredClone(event))).toHaveLength(applies ? 1 : 0);
  });
});
