/**
 * The rule index's keyword pass: its prefilter reads each string as it is, case-insensitively, instead of a
 * lower-cased copy of the event. It must never hide a match the rule itself finds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventView } from '../../../../src/core/events/view.ts';
import { LogsourceScope, meets } from '../../../../src/core/logsource/scope.ts';
import { RuleEngine } from '../../../../src/core/sigma/evaluate/engine.ts';
import { parseSigmaBlock } from '../../../../src/core/sigma/parse.ts';
import { wholeFile } from '../../../../src/core/text/source.ts';

/** Keyword rules on every Windows event (the shape of SigmaHQ's "Mimikatz Use"), one with a number. */
const RULES = [
  'title: kiwi',
  'logsource: { product: windows }',
  "detection: { keywords: ['kiwi', 'sekurlsa::'], condition: keywords }",
  '---',
  'title: number',
  'logsource: { product: windows }',
  "detection: { keywords: ['4104'], condition: keywords }",
  '---',
  'title: wide',
  'logsource: { product: windows, service: system }',
  "detection: { keywords: ['ɑdmin'], condition: keywords }",
].join('\n');

const engine = new RuleEngine(parseSigmaBlock(wholeFile(RULES)).documents);

function titles(event: Record<string, unknown>): string[] {
  return engine.match(structuredClone(event)).map((r) => r.rule.title!);
}

const scope = new LogsourceScope();
const conditions = engine.rules.map((r) => {
  const c = scope.conditionFor(r.rule.logsource);
  if (!('condition' in c)) throw new Error(c.unknown);
  return c.condition;
});

/** What each rule in scope finds when tried on its own. */
function naive(event: Record<string, unknown>): string[] {
  const view = engine.view(structuredClone(event));
  return engine.rules.filter((r, k) => meets(conditions[k]!, view) && r.match(view)).map((r) => r.rule.title!);
}

const windows = (fields: Record<string, unknown>): Record<string, unknown> => ({
  Channel: 'Application',
  EventID: 1,
  ...fields,
});

describe('the keyword pass', () => {
  it('finds keywords in any case, in nested values and in numbers', () => {
    expect(titles(windows({ Message: 'Loaded KIWI legit printer' }))).toEqual(['kiwi']);
    expect(titles(windows({ Data: [{ Text: 'x' }, { Text: 'SeKurLsa::logonpasswords' }] }))).toEqual(['kiwi']);
    expect(titles(windows({ Id: 4104 }))).toEqual(['number']);
    expect(titles(windows({ Message: 'nothing to see' }))).toEqual([]);
  });

  it('finds keywords spelled with the two characters that lower-case to ASCII letters', () => {
    // U+212A KELVIN SIGN lower-cases to `k`; U+0130 İ to `i` and a combining dot (so only as a needle's last `i`).
    expect(titles(windows({ Message: '\u212aIWI' }))).toEqual(['kiwi']);
    expect(titles(windows({ Message: 'KIW\u0130' }))).toEqual(['kiwi']);
    expect(titles(windows({ Message: 'K\u0130WI' }))).toEqual([]);
    expect(naive(windows({ Message: 'K\u0130WI' }))).toEqual([]);
  });

  it('finds non-ASCII keywords (their buckets have no prefilter)', () => {
    const system = { Channel: 'System', EventID: 7045 };
    expect(titles({ ...system, ServiceName: 'ɑdmin svc' })).toEqual(['wide']);
    expect(titles({ ...system, ServiceName: 'ɑDMIN svc', Note: 'kiwi' })).toEqual(['kiwi', 'wide']);
    expect(titles({ ...system, ServiceName: 'admin svc' })).toEqual([]);
  });

  it('gives what the rules find on their own, for any strings of look-alike letters', () => {
    // Pieces of the keywords and their look-alikes (U+0131 dotless ı, U+017F long ſ), so that texts often come close.
    const piece = fc.constantFrom(
      ...['k', 'K', '\u212a', 'i', 'I', '\u0130', '\u0131', 'w', 'W', 'ki', 'KI', 'wi', 'WI', '\u212aiw', 'KIW'],
      ...['se', 'SE', '\u017fe', 'kurl', 'KURL', 'sa::', 'SA::', ':', ' ', '41', '04', 'ɑ', 'dmin', 'DMIN'],
    );
    const text = fc.array(piece, { maxLength: 6 }).map((l) => l.join(''));
    const value = fc.oneof(text, fc.array(text, { maxLength: 3 }), fc.constantFrom(4104, 41040, 7));
    const channel = fc.constantFrom('Application', 'System');
    fc.assert(
      fc.property(channel, fc.dictionary(fc.constantFrom('A', 'B', 'C'), value), (Channel, fields) => {
        const event = { Channel, EventID: 7045, ...fields };
        expect(titles(event)).toEqual(naive(event));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('EventView.someString', () => {
  it('tests every string, and numbers only when asked', () => {
    const view = new EventView({ a: [{ b: 'x' }, 'Yes'], n: 12 });
    expect(view.someString(/yes/i, false)).toBe(true);
    expect(view.someString(/^x$/, false)).toBe(true);
    expect(view.someString(/12/, false)).toBe(false);
    expect(view.someString(/12/, true)).toBe(true);
    expect(view.someString(/a|b|n/, true)).toBe(false);
  });

  it('leaves out values shorter than the shortest needle', () => {
    const view = new EventView({ a: 'abc', b: ['abcd'], n: 1234 });
    expect(view.someString(/abc/, false, 3)).toBe(true);
    expect(view.someString(/abc/, false, 4)).toBe(true);
    expect(view.someString(/^abc$/, false, 4)).toBe(false);
    expect(view.someString(/\d/, true, 4)).toBe(true);
    expect(view.someString(/\d/, true, 5)).toBe(false);
  });

  it('reads as deep as the keyword text does', () => {
    let deep: unknown = 'needle';
    for (let i = 0; i < 40; i++) deep = { inner: deep };
    const view = new EventView({ deep });
    expect(view.someString(/needle/, false)).toBe(view.keywordText(false).includes('needle'));
    let shallow: unknown = 'needle';
    for (let i = 0; i < 31; i++) shallow = [shallow];
    const near = new EventView({ shallow });
    expect(near.someString(/needle/, false)).toBe(true);
    expect(near.keywordText(false)).toBe('needle');
    const beyond = new EventView({ shallow: [shallow] });
    expect(beyond.someString(/needle/, false)).toBe(false);
    expect(beyond.keywordText(false)).toBe('');
  });
});

describe('buckets found by an event key', () => {
  // `category: proxy` is found by the `c-uri` key; the engine reuses the last event's key lookups when the next
  // event has the same keys in the same order. Visiting a bucket that does not apply costs only time (its condition
  // is tested), but missing one loses matches: an event must not inherit the lookups of other keys.
  const proxy = new RuleEngine(
    parseSigmaBlock(
      wholeFile(
        [
          'title: proxy',
          'logsource: { category: proxy }',
          "detection: { selection: { c-uri|contains: 'evil' }, condition: selection }",
        ].join('\n'),
      ),
    ).documents,
  );
  const found = (event: Record<string, unknown>): number => proxy.match(event).length;

  it('looks the keys up again when they change, and reuses them when they do not', () => {
    // Each event after one with as many keys, none of which finds the bucket.
    expect(found({ host: 'a' })).toBe(0);
    expect(found({ uri: '/evil', host: 'a' })).toBe(0);
    expect(found({ 'c-uri': '/evil', host: 'a' })).toBe(1);
    expect(found({ 'c-uri': '/evil', host: 'b' })).toBe(1);
    expect(found({ host: 'a', 'c-url': '/evil' })).toBe(0);
    expect(found({ host: 'a', 'c-uri': '/evil' })).toBe(1);
    expect(found({ host: 'a', 'C-URL': '/evil' })).toBe(0);
    expect(found({ host: 'a', 'C-URI': '/evil' })).toBe(1);
  });
});

describe('the value memo of the field automata', () => {
  // Values repeat in real logs (the same executables, users and paths): the automata remember what they found in a
  // short value. Remembered or scanned, a value must reach the same rules.
  const RULES_ON_IMAGE = [
    'title: cmd',
    'logsource: { category: process_creation, product: windows }',
    "detection: { selection: { Image|endswith: '\\cmd.exe' }, condition: selection }",
    '---',
    'title: temp and user',
    'logsource: { category: process_creation, product: windows }',
    "detection: { a: { Image|contains: '\\Temp\\' }, b: { User|contains: 'admin' }, condition: a and b }",
    '---',
    'title: not system32',
    'logsource: { category: process_creation, product: windows }',
    "detection: { a: { Image|contains: '\\tools\\' }, b: { Image|contains: '\\System32\\' }, condition: a and not b }",
  ].join('\n');
  const documents = parseSigmaBlock(wholeFile(RULES_ON_IMAGE)).documents;
  const remembering = new RuleEngine(documents);
  const scanning = new RuleEngine(documents, { valueMemo: false });
  const images = [
    'C:\\Windows\\System32\\cmd.exe',
    'C:\\Users\\bob\\AppData\\Local\\Temp\\cmd.exe',
    'C:\\Users\\bob\\AppData\\Local\\TEMP\\x.exe',
    'C:\\tools\\System32\\a.exe',
    'C:\\tools\\b.exe',
    'C:\\Program Files\\App\\app.exe',
  ];
  const users = ['CORP\\admin', 'CORP\\bob', 'NT AUTHORITY\\SYSTEM'];
  const event = (image: string, user: string): Record<string, unknown> => ({
    Channel: 'Microsoft-Windows-Sysmon/Operational',
    EventID: 1,
    Image: image,
    User: user,
  });

  it('finds what a scan of every value finds, for repeated and new values alike', () => {
    const titles = (e: RuleEngine, image: string, user: string): string[] =>
      e.match(event(image, user)).map((r) => r.rule.title!);
    for (let round = 0; round < 2; round++) {
      expect(titles(remembering, images[1]!, users[0]!)).toEqual(['cmd', 'temp and user']);
      expect(titles(remembering, images[4]!, users[1]!)).toEqual(['not system32']);
      expect(titles(remembering, images[3]!, users[1]!)).toEqual([]);
    }
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.oneof(
              fc.constantFrom(...images),
              fc.string({ minLength: 8, maxLength: 40 }).map((s) => `C:\\Temp\\${s}`),
            ),
            fc.constantFrom(...users),
          ),
          { minLength: 1, maxLength: 60 },
        ),
        (pairs) => {
          for (const [image, user] of pairs)
            expect(titles(remembering, image, user)).toEqual(titles(scanning, image, user));
        },
      ),
      { numRuns: 200 },
    );
    expect(remembering.memoStats.served).toBeGreaterThan(0);
    expect(scanning.memoStats).toEqual({ lookups: 0, served: 0 });
  });
});
