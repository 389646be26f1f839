import { spawn } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run, workspace } from '../helpers/cli.ts';
import { validDocument } from '../helpers/documents.ts';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'eval-hunt');

function setup(): string {
  const cwd = workspace();
  cpSync(FIXTURE, cwd, { recursive: true });
  return cwd;
}

async function jsonl(
  cwd: string,
  ...args: string[]
): Promise<{ code: number; rows: Record<string, unknown>[]; stderr: string }> {
  const result = await run(cwd, 'hunt', '--rules', 'rules', '--format', 'jsonl', ...args);
  return {
    code: result.code,
    stderr: result.stderr,
    rows: result.stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

/** A Sysmon process creation of whoami.exe, as one NDJSON line: the fixture's whoami rule matches it. */
const WHOAMI_EVENT = JSON.stringify({
  Channel: 'Microsoft-Windows-Sysmon/Operational',
  EventID: 1,
  Image: 'C:\\x\\whoami.exe',
});

const key = (r: Record<string, unknown>): string =>
  `${String(r.file)}#${String(r.event_index)} ${String(r.rule_title)}`;

describe('loom hunt', () => {
  it('reads evtx_dump output with Record lines, flattens it and scopes rules by logsource', async () => {
    const { code, rows } = await jsonl(setup(), '--events', 'events/sysmon.json');
    expect(code).toBe(0);
    // Event 0 is Sysmon 1: the whoami rule fires, the dns_query rule does not (even though QueryName matches).
    // Event 1 is Sysmon 22 with a whoami Image: the process rule does not fire, the dns rule is filtered out.
    expect(rows.map(key)).toEqual(['events/sysmon.json#0 Whoami Execution']);
    expect(rows[0]).toMatchObject({ rule_id: '11111111-1111-4111-8111-111111111111', level: 'medium', event_index: 0 });
  });

  it('reads NDJSON, maps Security 4688 to process_creation, and reports corrupt records with their line', async () => {
    const { rows, stderr } = await jsonl(setup(), '--events', 'events/flat.ndjson');
    expect(rows.map(key)).toEqual([
      'events/flat.ndjson#0 DNS Query For Evil Domain',
      'events/flat.ndjson#2 Whoami Execution',
    ]);
    expect(stderr).toContain('2 corrupt records skipped');
    expect(stderr).toContain('events/flat.ndjson:2: record 1: a record cut short');
    expect(stderr).toContain('events/flat.ndjson:4: record 3: text outside a JSON object');
  });

  it('reads JSON arrays and gzip, and folders', async () => {
    const cwd = setup();
    writeFileSync(join(cwd, 'events', 'array.json.gz'), gzipSync(readFileSync(join(cwd, 'events', 'array.json'))));
    const { rows } = await jsonl(cwd, '--events', 'events');
    expect(rows.map(key)).toEqual([
      'events/array.json#0 Whoami Execution',
      'events/array.json.gz#0 Whoami Execution',
      'events/flat.ndjson#0 DNS Query For Evil Domain',
      'events/flat.ndjson#2 Whoami Execution',
      'events/sysmon.json#0 Whoami Execution',
    ]);
  });

  it('--no-scope runs every rule on every event', async () => {
    const { rows } = await jsonl(setup(), '--events', 'events/flat.ndjson', '--no-scope');
    // Without scoping the Sysmon 3 event matches the process rule; the 4688 event has no Image field.
    expect(rows.map(key)).toEqual([
      'events/flat.ndjson#0 DNS Query For Evil Domain',
      'events/flat.ndjson#4 Whoami Execution',
    ]);
  });

  it('--logsources extends the table', async () => {
    const cwd = setup();
    writeFileSync(
      join(cwd, 'extra.json'),
      JSON.stringify({ logsources: [{ product: 'windows', category: 'process_creation', when: [{ EventID: 3 }] }] }),
    );
    const { rows } = await jsonl(cwd, '--events', 'events/flat.ndjson', '--logsources', 'extra.json');
    expect(rows.map(key)).toEqual([
      'events/flat.ndjson#0 DNS Query For Evil Domain',
      'events/flat.ndjson#4 Whoami Execution',
    ]);
  });

  it('prints csv and table, and a summary on stderr', async () => {
    const cwd = setup();
    const csv = await run(cwd, 'hunt', '-r', 'rules', '-e', 'events/array.json', '-f', 'csv');
    expect(csv.stdout.split('\n')[0]).toBe('rule_id,rule_title,level,file,event_index,line');
    expect(csv.stdout).toContain('11111111-1111-4111-8111-111111111111,Whoami Execution,medium,events/array.json,0,2');
    const table = await run(cwd, 'hunt', '-r', 'rules', '-e', 'events/array.json');
    expect(table.stdout).toContain('events/array.json:2 #0  medium    Whoami Execution');
    expect(table.stderr).toMatch(/2 events in 1 file, 1 matches/);
    expect(table.stderr).toContain('Matches per rule:');
  });

  it("reports a detection document's rule with the detection's id, title and severity", async () => {
    const cwd = workspace({
      'detections/encoded-powershell.md': validDocument(),
      'events/e.ndjson':
        JSON.stringify({
          Channel: 'Microsoft-Windows-Sysmon/Operational',
          EventID: 1,
          CommandLine: 'powershell -enc SQBFAFgA',
        }) + '\n',
    });
    const result = await run(cwd, 'hunt', '-r', 'detections', '-e', 'events', '-f', 'jsonl');
    const rows = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      rule_id: '0e5b6a2e-3f4d-4c6b-9a1e-2f7d8c9b0a1d',
      rule_title: 'Encoded PowerShell',
      level: 'high',
      file: 'events/e.ndjson',
      event_index: 0,
    });
  });

  it('reports a cut-short gzip file at the line where reading stopped, after the events before it', async () => {
    const cwd = setup();
    // Random ids keep the text from compressing to nothing, so that the cut falls inside the data.
    const text = Array.from({ length: 2000 }, (_, i) =>
      WHOAMI_EVENT.replace('}', `, "Id": "${(i * 2654435761) % 1e9}"}`),
    );
    const whole = gzipSync(text.join('\n') + '\n');
    writeFileSync(join(cwd, 'cut.json.gz'), whole.subarray(0, whole.length >> 1));
    const { code, rows, stderr } = await jsonl(cwd, '--events', 'cut.json.gz');
    expect(code).toBe(0);
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.length).toBeLessThan(2000);
    expect(stderr).toMatch(/cut\.json\.gz:\d+: the file could not be read past this line: unexpected end of file/);
    expect(stderr).not.toContain('record -1');
  });

  it('exits 2 on usage errors', async () => {
    const cwd = setup();
    expect((await run(cwd, 'hunt', '-e', 'events')).code).toBe(2);
    expect((await run(cwd, 'hunt', '-r', 'rules')).code).toBe(2);
    expect((await run(cwd, 'hunt', '-r', 'rules', '-e', 'nope')).code).toBe(2);
    expect((await run(cwd, 'hunt', '-r', 'rules', '-e', 'events', '-f', 'xml')).code).toBe(2);
  });

  it('stops quietly when the reader of its output goes away (`loom hunt … | head`)', async () => {
    const cwd = setup();
    // About 20 MB of matches: far more than a pipe holds, so the hunt is still writing when the reader leaves.
    writeFileSync(join(cwd, 'many.ndjson'), (WHOAMI_EVENT + '\n').repeat(40_000));
    const loom = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'cli', 'loom.js');
    const child = spawn(process.execPath, [loom, 'hunt', '-r', 'rules', '-e', 'many.ndjson', '-f', 'jsonl'], { cwd });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let first = '';
    child.stdout.once('data', (chunk: Buffer) => {
      first = chunk.toString();
      child.stdout.destroy();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(first).toContain('"rule_title":"Whoami Execution"');
    expect(stderr).not.toMatch(/EPIPE|Error|at /);
    expect(code).toBe(0);
  }, 30_000);
});
