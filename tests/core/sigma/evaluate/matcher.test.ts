import { describe, expect, it } from 'vitest';
import { EventView } from '../../../../src/core/events/view.ts';
import { compileRule } from '../../../../src/core/sigma/evaluate/compile.ts';
import { RE2JS } from 're2js';
import {
  nativeEquivalent,
  regexMinLength,
  requiredNeedles,
  requiredLiterals,
} from '../../../../src/core/sigma/evaluate/regex.ts';
import { NeedleSet } from '../../../../src/core/sigma/evaluate/aho-corasick.ts';
import { c, fields, keywords, anyOf, rule } from './build.ts';

const utf16leB64 = (s: string): string => Buffer.from(s, 'utf16le').toString('base64');

// [description, search map, event, expected]
const cases: [string, Record<string, unknown>, Record<string, unknown>, boolean][] = [
  ['equality is case-insensitive', { Image: 'C:\\Windows\\cmd.exe' }, { Image: 'c:\\windows\\CMD.EXE' }, true],
  ['equality is whole-value', { Image: 'cmd.exe' }, { Image: 'c:\\cmd.exe' }, false],
  ['cased keeps case', { 'Image|cased': 'CMD.exe' }, { Image: 'cmd.exe' }, false],
  ['cased matches exact case', { 'Image|cased': 'CMD.exe' }, { Image: 'CMD.exe' }, true],
  ['* wildcard', { Image: '*\\cmd.exe' }, { Image: 'C:\\x\\cmd.exe' }, true],
  ['? wildcard', { Image: 'cm?.exe' }, { Image: 'cmd.exe' }, true],
  ['? needs one char', { Image: 'cm?.exe' }, { Image: 'cm.exe' }, false],
  ['escaped star is literal', { Name: 'a\\*b' }, { Name: 'a*b' }, true],
  ['escaped star does not glob', { Name: 'a\\*b' }, { Name: 'axxb' }, false],
  ['escaped backslash', { Name: 'a\\\\*' }, { Name: 'a\\zz' }, true],
  ['lone backslash is literal', { Image: 'C:\\Windows\\sys*' }, { Image: 'c:\\windows\\system32' }, true],
  ['middle wildcards', { CommandLine: '*a*b*c*' }, { CommandLine: 'xaybzc' }, true],
  ['middle wildcards, order matters', { CommandLine: '*a*b*c*' }, { CommandLine: 'cba' }, false],
  ['contains', { 'CommandLine|contains': 'ENC' }, { CommandLine: 'powershell -enc abc' }, true],
  ['startswith', { 'CommandLine|startswith': 'power' }, { CommandLine: 'PowerShell' }, true],
  ['endswith', { 'Image|endswith': '\\cmd.exe' }, { Image: 'C:\\cmd.exe.bak' }, false],
  ['list is OR', { 'Image|endswith': ['\\a.exe', '\\b.exe'] }, { Image: 'x\\b.exe' }, true],
  ['contains|all needs every value', { 'CommandLine|contains|all': ['a', 'z'] }, { CommandLine: 'abc' }, false],
  ['contains|all with every value', { 'CommandLine|contains|all': ['a', 'c'] }, { CommandLine: 'abc' }, true],
  ['number equals numeric string', { EventID: 4688 }, { EventID: '4688' }, true],
  ['number equals number', { EventID: 1 }, { EventID: 1 }, true],
  ['number differs', { EventID: 1 }, { EventID: 11 }, false],
  ['string equals number', { EventID: '4688' }, { EventID: 4688 }, true],
  ['null matches missing', { CommandLine: null }, { Image: 'x' }, true],
  ['null matches null', { CommandLine: null }, { CommandLine: null }, true],
  ['null does not match a value', { CommandLine: null }, { CommandLine: 'x' }, false],
  ['empty string matches empty only', { CommandLine: '' }, { CommandLine: '' }, true],
  ['empty string does not match missing', { CommandLine: '' }, {}, false],
  ['missing field does not match', { Image: '*' }, {}, false],
  ['exists true', { 'Image|exists': true }, { Image: '' }, true],
  ['exists false', { 'Image|exists': false }, { Image: 'x' }, false],
  ['exists false, absent', { 'Image|exists': false }, {}, true],
  ['boolean', { Enabled: true }, { Enabled: 'True' }, true],
  ['gt', { 'Count|gt': 5 }, { Count: '6' }, true],
  ['gte edge', { 'Count|gte': 5 }, { Count: 5 }, true],
  ['lt', { 'Count|lt': 5 }, { Count: 5 }, false],
  ['lte on non-number', { 'Count|lte': 5 }, { Count: 'x' }, false],
  ['neq string', { 'User|neq': 'SYSTEM' }, { User: 'admin' }, true],
  ['neq string equal', { 'User|neq': 'SYSTEM' }, { User: 'system' }, false],
  ['neq number', { 'Port|neq': 80 }, { Port: 443 }, true],
  ['re is case-sensitive', { 'CommandLine|re': 'Foo\\d+' }, { CommandLine: 'xfoo12' }, false],
  ['re matches anywhere', { 'CommandLine|re': 'Foo\\d+' }, { CommandLine: 'xFoo12' }, true],
  ['re with i', { 'CommandLine|re|i': 'foo\\d+' }, { CommandLine: 'FOO1' }, true],
  ['re with m', { 'CommandLine|re|m': '^b$' }, { CommandLine: 'a\nb\nc' }, true],
  ['re without m', { 'CommandLine|re': '^b$' }, { CommandLine: 'a\nb\nc' }, false],
  ['re with s', { 'CommandLine|re|s': 'a.b' }, { CommandLine: 'a\nb' }, true],
  ['re without s', { 'CommandLine|re': 'a.b' }, { CommandLine: 'a\nb' }, false],
  ['cidr v4', { 'DestinationIp|cidr': '10.0.0.0/8' }, { DestinationIp: '10.1.2.3' }, true],
  ['cidr v4 outside', { 'DestinationIp|cidr': '10.0.0.0/8' }, { DestinationIp: '11.1.2.3' }, false],
  ['cidr list', { 'DestinationIp|cidr': ['192.168.0.0/16', '172.16.0.0/12'] }, { DestinationIp: '172.31.0.1' }, true],
  ['cidr v6', { 'DestinationIp|cidr': 'fe80::/10' }, { DestinationIp: 'fe80::1' }, true],
  ['cidr v6 outside', { 'DestinationIp|cidr': 'fe80::/10' }, { DestinationIp: '2001:db8::1' }, false],
  ['cidr v6 /128 loopback', { 'DestinationIp|cidr': '::1/128' }, { DestinationIp: '::1' }, true],
  ['cidr v4-mapped v6', { 'DestinationIp|cidr': '10.0.0.0/8' }, { DestinationIp: '::ffff:10.0.0.1' }, true],
  ['base64', { 'Payload|base64': 'cmd' }, { Payload: 'Y21k' }, true],
  ['base64 contains', { 'Payload|base64|contains': 'http://' }, { Payload: 'xx aHR0cDovLw== yy' }, true],
  [
    'base64offset contains, offset 0',
    { 'CommandLine|base64offset|contains': 'IEX' },
    { CommandLine: '-e ' + Buffer.from('IEX(x)').toString('base64') },
    true,
  ],
  [
    'base64offset contains, offset 1',
    { 'CommandLine|base64offset|contains': 'IEX' },
    { CommandLine: '-e ' + Buffer.from('aIEX(x)').toString('base64') },
    true,
  ],
  [
    'base64offset contains, offset 2',
    { 'CommandLine|base64offset|contains': 'IEX' },
    { CommandLine: '-e ' + Buffer.from('abIEX(x)').toString('base64') },
    true,
  ],
  [
    'utf16le base64offset',
    { 'CommandLine|utf16le|base64offset|contains': 'Invoke-' },
    { CommandLine: '-enc ' + utf16leB64('$a; Invoke-Expr') },
    true,
  ],
  [
    'wide base64offset',
    { 'CommandLine|wide|base64offset|contains': 'Invoke-' },
    { CommandLine: '-enc ' + utf16leB64('xInvoke-Expr') },
    true,
  ],
  [
    'utf16 has a BOM',
    { 'Payload|utf16|base64': 'A' },
    { Payload: Buffer.from([0xff, 0xfe, 0x41, 0]).toString('base64') },
    true,
  ],
  ['utf16be', { 'Payload|utf16be|base64': 'A' }, { Payload: Buffer.from([0, 0x41]).toString('base64') }, true],
  ['windash slash', { 'CommandLine|windash|contains': ' -exec ' }, { CommandLine: 'x /exec y' }, true],
  ['windash en dash', { 'CommandLine|windash|contains': ' -exec ' }, { CommandLine: 'x \u2013exec y' }, true],
  ['windash keeps other dashes', { 'CommandLine|windash|contains': 'a-b' }, { CommandLine: 'a/b' }, false],
  ['fieldref equal', { 'ParentUser|fieldref': 'User' }, { User: 'A', ParentUser: 'a' }, true],
  ['fieldref differs', { 'ParentUser|fieldref': 'User' }, { User: 'A', ParentUser: 'b' }, false],
  ['fieldref neq', { 'ParentUser|fieldref|neq': 'User' }, { User: 'A', ParentUser: 'b' }, true],
  ['fieldref endswith', { 'Image|fieldref|endswith': 'Name' }, { Image: 'c:\\x\\a.exe', Name: 'a.exe' }, true],
  ['array value: any element', { Tags: 'b' }, { Tags: ['a', 'B'] }, true],
  ['dotted path', { 'process.name': 'cmd.exe' }, { process: { name: 'CMD.exe' } }, true],
  ['dotted key wins', { 'process.name': 'cmd.exe' }, { 'process.name': 'cmd.exe' }, true],
  [
    'dotted path into an array of objects: any element',
    { 'target.alternateId': 'b@example.com' },
    { target: [{ alternateId: 'a@example.com' }, { alternateId: 'B@example.com' }] },
    true,
  ],
  [
    'dotted path into an array of objects: no element',
    { 'target.alternateId': 'c@example.com' },
    { target: [{ alternateId: 'a@example.com' }, { type: 'User' }] },
    false,
  ],
  [
    'dotted path with an index',
    { 'target.1.type': 'user' },
    { target: [{ type: 'AppInstance' }, { type: 'User' }] },
    true,
  ],
  ['field name case fallback', { image: 'cmd.exe' }, { Image: 'cmd.exe' }, true],
  ['object value does not match a string', { Image: '*' }, { Image: { a: 1 } }, false],
  ['hour', { 'UtcTime|hour': 10 }, { UtcTime: '2026-04-20 10:00:35.640' }, true],
  ['hour gte', { 'UtcTime|hour|gte': 20 }, { UtcTime: '2026-04-20 10:00:35.640' }, false],
  ['year', { 'UtcTime|year': 2026 }, { UtcTime: '2026-04-20T10:00:35Z' }, true],
  ['expand with placeholder values', { 'User|expand': '%Admins%' }, { User: 'root' }, true],
];

describe('field matchers', () => {
  it.each(cases)('%s', (_name, map, event, expected) => {
    const compiled = compileRule(rule({ selection: fields(map) }), { placeholders: { Admins: ['root', 'admin'] } });
    expect(compiled.problems).toEqual([]);
    expect(compiled.match(new EventView(event))).toBe(expected);
  });
});

describe('conditions', () => {
  const searches = {
    selection: fields({ Image: '*\\cmd.exe' }),
    filter_a: fields({ User: 'SYSTEM' }),
    filter_b: fields({ ParentImage: '*\\explorer.exe' }),
  };
  const ev = new EventView({ Image: 'c:\\cmd.exe', User: 'bob', ParentImage: 'c:\\explorer.exe' });
  const table: [string, ReturnType<typeof c.id>, boolean][] = [
    ['and not', c.and(c.id('selection'), c.not(c.id('filter_a'))), true],
    ['and not 1 of filter_*', c.and(c.id('selection'), c.not(c.oneOf('filter_*'))), false],
    ['all of filter_*', c.allOf('filter_*'), false],
    ['1 of them', c.oneOf('them'), true],
    ['all of them', c.allOf('them'), false],
    ['or', c.or(c.id('filter_a'), c.id('filter_b')), true],
  ];
  it.each(table)('%s', (_n, condition, expected) => {
    expect(compileRule(rule(searches, condition)).match(ev)).toBe(expected);
  });

  it('a list of maps is OR', () => {
    const r = compileRule(rule({ selection: anyOf({ Image: 'a' }, { Image: 'b' }) }));
    expect(r.match(new EventView({ Image: 'b' }))).toBe(true);
    expect(r.match(new EventView({ Image: 'c' }))).toBe(false);
  });

  it('keywords search every string value', () => {
    const r = compileRule(rule({ keywords: keywords(['mimikatz', 'sekurlsa']) }, c.id('keywords')));
    expect(r.match(new EventView({ a: { b: ['x', 'run SEKURLSA::x'] } }))).toBe(true);
    expect(r.match(new EventView({ a: 'nothing' }))).toBe(false);
  });

  it('keywords with re', () => {
    const r = compileRule(rule({ keywords: keywords(['^sek.*a$'], ['re']) }, c.id('keywords')));
    expect(r.match(new EventView({ a: 'sekurlsa' }))).toBe(true);
  });

  it('`them` leaves out names starting with an underscore', () => {
    const r = compileRule(rule({ a: fields({ X: '1' }), _b: fields({ X: '2' }) }, c.allOf('them')));
    expect(r.match(new EventView({ X: '1' }))).toBe(true);
  });

  it('an undefined identifier is reported and never matches', () => {
    const r = compileRule(rule({ selection: fields({ X: '1' }) }, c.id('selektion')));
    expect(r.problems.map((p) => p.ruleId)).toEqual(['sigma/undefined-identifier']);
    expect(r.match(new EventView({ X: '1' }))).toBe(false);
  });
});

describe('problems are reported, not thrown', () => {
  const table: [string, Record<string, unknown>, string][] = [
    ['backreference', { 'X|re': '(a)\\1' }, 'sigma/unsupported-regex'],
    ['lookahead', { 'X|re': 'a(?=b)' }, 'sigma/unsupported-regex'],
    ['unknown modifier', { 'X|contians': 'a' }, 'sigma/unsupported-modifier'],
    ['bad cidr', { 'X|cidr': '10.0.0.0/33' }, 'sigma/invalid-cidr'],
    ['unresolved placeholder', { 'X|expand': '%nobody%' }, 'sigma/unresolved-placeholder'],
  ];
  it.each(table)('%s', (_n, map, ruleId) => {
    const r = compileRule(rule({ selection: fields(map) }));
    expect(r.problems.map((p) => p.ruleId)).toEqual([ruleId]);
    expect(r.match(new EventView({ X: 'aab' }))).toBe(false);
  });

  it('a catastrophic regex runs in linear time', () => {
    const r = compileRule(rule({ selection: fields({ 'X|re': '^(a+)+$' }) }));
    const start = performance.now();
    expect(r.match(new EventView({ X: 'a'.repeat(50_000) + 'b' }))).toBe(false);
    // Backtracking engines take ages here; RE2 is linear. A generous bound that cannot be flaky.
    expect(performance.now() - start).toBeLessThan(5_000);
  });
});

describe('anchors', () => {
  it('picks the most selective needle of an AND and unions an OR', () => {
    const r = compileRule(
      rule(
        { selection: fields({ 'Image|endswith': '\\rundll32.exe', 'CommandLine|contains': ' /c ' }) },
        c.and(c.id('selection')),
      ),
    );
    expect(r.anchor?.alternatives).toEqual([{ field: 'Image', needle: '\\rundll32.exe' }]);
  });
  it('requires an anchor from every AND-ed part, most selective first', () => {
    const r = compileRule(
      rule(
        {
          selection: fields({
            'Image|endswith': '\\rundll32.exe',
            'CommandLine|contains': ['javascript:', 'vbscript:'],
          }),
        },
        c.and(c.id('selection')),
      ),
    );
    expect(r.anchors.map((a) => a.alternatives)).toEqual([
      [{ field: 'Image', needle: '\\rundll32.exe' }],
      [
        { field: 'CommandLine', needle: 'javascript:' },
        { field: 'CommandLine', needle: 'vbscript:' },
      ],
    ]);
  });
  it('anchors keywords on any string of the event (field "")', () => {
    const r = compileRule(rule({ keywords: keywords(['sekurlsa::', 'kerberos::']) }, c.id('keywords')));
    expect(r.anchors).toEqual([
      {
        alternatives: [
          { field: '', needle: 'sekurlsa::' },
          { field: '', needle: 'kerberos::' },
        ],
      },
    ]);
  });
  it('has none when a branch has none', () => {
    const r = compileRule(rule({ a: fields({ Image: '*\\x.exe' }), b: fields({ 'Port|gt': 5 }) }, c.oneOf('them')));
    expect(r.anchor).toBeNull();
    expect(r.anchors).toEqual([]);
  });
  it('ignores negated searches', () => {
    const r = compileRule(
      rule({ a: fields({ 'Port|gt': 5 }), f: fields({ Image: '*\\x.exe' }) }, c.and(c.id('a'), c.not(c.id('f')))),
    );
    expect(r.anchor).toBeNull();
  });
});

describe('regex and non-ASCII anchors', () => {
  it.each([
    ['cmd\\.exe /c', 'cmd.exe /c'],
    ['ab?cdef', 'cdef'],
    ['[a-z]+PowerShell', 'powershell'],
    ['x{2,3}yyyy', 'yyyy'],
    ['abc+def', 'abc'],
    ['\\w+\\.dll,abc', '.dll,abc'],
    ['(?i)foo(bar)?bazz', 'bazz'],
    ['a|bcdef', ''],
    ['cmd.{0,5}(?:/c|/r)\\s+set', 'cmd'],
    ['[|]abcd', '|abcd'],
    ['(abcdef)', ''],
    ['\\d\\d\\d', ''],
    ['\\x41BCD', 'bcd'],
    ['\\x{41}BCD', 'bcd'],
    ['\\pLxyz', 'xyz'],
    ['\\p{Greek}xyz', 'xyz'],
    ['[[:alpha:]]]xyz', ']xyz'],
  ])('%s requires %j', (pattern, literal) => {
    expect(requiredNeedles(pattern)).toEqual(literal === '' ? [] : [literal]);
  });
  it.each([
    ['a|bcdef', ['a', 'bcdef']],
    ['\\d+|abc', null],
    ['abc|def', ['abc', 'def']],
    ['(?i)foo|(x|y)bar', ['foo', 'bar']],
    ['ab\\|cd', ['ab|cd']],
    ['[|]abc|xyz', ['|abc', 'xyz']],
    ['(a|b)', null],
    // Runs through small classes: each spelling is a needle.
    ['\\\\[a-z]{1,32}\\.[a-z]{1,6}\\.[ "\']{1}', ['. ', '."', ".'"]],
    ['[Aa][Bb]c', ['abc']],
    ['x[ab]+y', ['xa', 'xb']],
    ['x[ab]?yz', ['yz']],
    ['[a-c]xy', ['xy']],
    ['[^a]xy', ['xy']],
  ])('%s requires one of %j', (pattern, literals) => {
    expect(requiredLiterals(pattern)).toEqual(literals);
  });
  it.each([
    ['.{1000,}', 1000],
    ['\\s[a-f0-9]{64}\\s[a-f0-9]{16}', 82],
    ['(?i)(?:set).*&&\\s?set', 8],
    ['a|bcd', 1],
    ['(?P<x>ab)c', 3],
    ['a{2}?b', 3],
    ['^\\b$', 0],
    ['\\Qab\\E', 0],
    ['(a', 0],
  ])('%s matches texts of at least %i units', (pattern, length) => {
    expect(regexMinLength(pattern)).toBe(length);
  });
  it('never counts more than the shortest match (random patterns, checked with RE2)', () => {
    const random = seeded(5);
    const atoms = ['a', 'b', '.', '[ab]', '\\b', '^', '(a|bb)', '(?:ab)?', '(?i)', 'x'];
    const quantifiers = ['', '', '?', '*', '+', '{2}', '{0,2}', '{1,3}', '+?'];
    for (let round = 0; round < 400; round++) {
      const pattern = randomPattern(random, atoms, quantifiers);
      let re: RE2JS;
      try {
        re = RE2JS.compile(pattern);
      } catch {
        continue;
      }
      const min = regexMinLength(pattern);
      for (let t = 0; t < 60; t++) {
        const text = Array.from({ length: random(8) }, () => 'abxAB '[random(6)]).join('');
        // A match inside the text is at least `min` long, so the text is too.
        if (re.test(text)) expect(text.length, `${pattern} on ${JSON.stringify(text)}`).toBeGreaterThanOrEqual(min);
      }
    }
  });
  it('keeps the longest window of a run with at most 16 spellings', () => {
    const needles = requiredLiterals('[ab][cd][ef][gh][ij]')!;
    expect(needles).toHaveLength(16);
    expect(needles.every((n) => n.length === 4)).toBe(true);
  });
  it('needles that every match of a regex contains (random patterns and texts, checked with RE2)', () => {
    const random = seeded(11);
    const atoms = ['a', 'b', '.', '[ab]', '[a.]', '\\.', 'x', '(a|b)', '[^a]', 'c'];
    const quantifiers = ['', '', '', '?', '*', '+', '{1}', '{2}', '{0,2}', '{1,3}'];
    for (let round = 0; round < 400; round++) {
      const pattern = randomPattern(random, atoms, quantifiers);
      const needles = requiredLiterals(pattern);
      if (needles === null) continue;
      const re = RE2JS.compile(pattern);
      for (let t = 0; t < 60; t++) {
        const text = Array.from({ length: random(9) }, () => 'abx.c'[random(5)]).join('');
        if (re.test(text))
          expect(
            needles.some((n) => text.toLowerCase().includes(n)),
            `${pattern} on ${text}`,
          ).toBe(true);
      }
    }
  });
  it('anchors numbers on the field value and skips RE2 when no required literal occurs', () => {
    const id = compileRule(rule({ selection: fields({ EventID: [16, 255] }) }));
    expect(id.anchors).toEqual([
      {
        alternatives: [
          { field: 'EventID', number: 16 },
          { field: 'EventID', number: 255 },
        ],
      },
    ]);
    const re = compileRule(
      rule({ selection: fields({ 'CommandLine|re': '(?i)invoke-(expression|webrequest)|iex ' }) }),
    );
    expect(re.anchors[0]?.alternatives).toEqual([
      { field: 'CommandLine', needle: 'invoke-' },
      { field: 'CommandLine', needle: 'iex ' },
    ]);
    expect(re.match(new EventView({ CommandLine: 'powershell INVOKE-Expression x' }))).toBe(true);
    expect(re.match(new EventView({ CommandLine: 'powershell IEX (x)' }))).toBe(true);
    expect(re.match(new EventView({ CommandLine: 'powershell invoke-item x' }))).toBe(false);
    expect(re.match(new EventView({ CommandLine: 'powershell Ünvoke-Expression' }))).toBe(false);
  });
  it('anchors a regex on its required literal and short non-ASCII values on themselves', () => {
    const re = compileRule(rule({ selection: fields({ 'CommandLine|re': '\\$\\{?input\\}?.*iex' }) }));
    expect(re.anchors).toEqual([{ alternatives: [{ field: 'CommandLine', needle: 'input' }] }]);
    const emoji = compileRule(rule({ selection: fields({ 'CommandLine|contains': ['😀', 'ﾠ'] }) }));
    expect(emoji.anchors[0]?.alternatives.map((a) => ('needle' in a ? a.needle : a.number))).toEqual(['😀', 'ﾠ']);
    const short = compileRule(rule({ selection: fields({ 'CommandLine|contains': ['a'] }) }));
    expect(short.anchors).toEqual([]);
    const two = compileRule(rule({ selection: fields({ 'CommandLine|contains': ['^^', ',;'] }) }));
    expect(two.anchors).toEqual([
      {
        alternatives: [
          { field: 'CommandLine', needle: '^^' },
          { field: 'CommandLine', needle: ',;' },
        ],
      },
    ]);
    // `all`: one value's needle is enough, even when another value is too short to index.
    const all = compileRule(rule({ selection: fields({ 'CommandLine|contains|all': ['NoLMHash', ' 0'] }) }));
    expect(all.anchors).toEqual([{ alternatives: [{ field: 'CommandLine', needle: 'nolmhash' }] }]);
  });
});

describe('NeedleSet.scanFolded', () => {
  it.each(['SEKURLSA::logonpasswords', 'xxABCxx', 'ÜMLAUT', 'İX', 'none'])(
    'finds in %s what scan finds in its lower case',
    (text) => {
      const set = new NeedleSet<string>();
      for (const n of ['sekurlsa::', 'abc', 'ümlaut', 'i̇x']) set.add(n, n);
      const folded = new Set<string>();
      const lowered = new Set<string>();
      set.scanFolded(text, (h) => folded.add(h));
      set.scan(text.toLowerCase(), (h) => lowered.add(h));
      expect([...folded]).toEqual([...lowered]);
    },
  );
});

describe('NeedleSet', () => {
  it('finds exactly the needles a naive search finds (random needles and texts)', () => {
    const random = seeded(3);
    const alphabet = 'abcAB.\\ é';
    for (let round = 0; round < 200; round++) {
      const needles = [...new Set(Array.from({ length: 1 + random(30) }, () => word(random, 'abc.\\ é')))];
      const set = new NeedleSet<number>();
      needles.forEach((n, i) => set.add(n, i));
      for (let t = 0; t < 30; t++) {
        const text = word(random, alphabet, 20);
        const found = new Set<number>();
        set.scanFolded(text, (h) => found.add(h));
        const expected = needles.flatMap((n, i) => (text.toLowerCase().includes(n) ? [i] : []));
        expect(
          [...found].sort((a, b) => a - b),
          `${JSON.stringify(needles)} in ${JSON.stringify(text)}`,
        ).toEqual(expected);
        expect(set.has(text.toLowerCase())).toBe(expected.length > 0);
      }
    }
  });

  it('follows failure links through deep states (long needles over a small alphabet)', () => {
    // States deeper than the dense rows are sparse nodes: a mismatch there walks failure links that may be sparse
    // too. Long needles over two letters make such chains, and texts made of their pieces run through them.
    const random = seeded(11);
    for (let round = 0; round < 100; round++) {
      const needles = [...new Set(Array.from({ length: 1 + random(12) }, () => word(random, 'ab', 12)))];
      const set = new NeedleSet<number>();
      needles.forEach((n, i) => set.add(n, i));
      for (let t = 0; t < 20; t++) {
        let text = '';
        while (text.length < 60) text += random(3) === 0 ? word(random, 'abAB', 3) : needles[random(needles.length)]!;
        const found = new Set<number>();
        set.scanFolded(text, (h) => found.add(h));
        set.scan(text.toLowerCase(), (h) => found.add(h + 1000));
        const expected = needles.flatMap((n, i) => (text.toLowerCase().includes(n) ? [i] : []));
        expect(
          [...found].sort((a, b) => a - b),
          `${JSON.stringify(needles)} in ${JSON.stringify(text)}`,
        ).toEqual([...expected, ...expected.map((i) => i + 1000)]);
      }
    }
  });

  it('keeps thousands of long needles compact (sparse nodes below the dense rows)', () => {
    const set = new NeedleSet<number>();
    const needle = (i: number): string => `${(i * 7919).toString(36)}\\tools\\${(i * 104_729).toString(16)}.exe`;
    for (let i = 0; i < 5_000; i++) set.add(needle(i), i);
    // About 108,000 states over 39 columns: a dense row per state would take 17 MB; this layout takes 2.2 MB.
    expect(set.states).toBeGreaterThan(50_000);
    expect(set.tableBytes).toBeLessThan(set.states * 24);
    const found: number[] = [];
    set.scanFolded(`cmd /c ${needle(17).toUpperCase()} ${needle(4_321)}`, (h) => found.push(h));
    expect(found.sort((a, b) => a - b)).toEqual([17, 4_321]);
  });
});

describe('NeedleSet memo (short values seen lately)', () => {
  const needles = ['\\cmd.exe', 'system32', 'temp\\', 'ab', 'é\\x'];
  const build = (memo?: boolean): NeedleSet<number> => {
    const set = new NeedleSet<number>({ memo });
    needles.forEach((n, i) => set.add(n, i));
    return set;
  };
  const naive = (text: string): number[] => needles.flatMap((n, i) => (text.toLowerCase().includes(n) ? [i] : []));
  const found = (set: NeedleSet<number>, text: string): number[] => {
    const hits = new Set<number>();
    set.scanFolded(text, (h) => hits.add(h));
    return [...hits].sort((a, b) => a - b);
  };

  it('serves a value seen again with what a scan finds in it', () => {
    const random = seeded(5);
    const pool = Array.from(
      { length: 40 },
      (_, i) =>
        [`C:\\Windows\\System32\\cmd.exe /c ${i}`, `c:\\TEMP\\x${i}.exe`, `ABé\\X-${i}`, `other value ${i}`][i % 4]!,
    );
    const set = build();
    for (let k = 0; k < 2_000; k++) {
      const text = pool[random(pool.length)]!;
      expect(found(set, text), text).toEqual(naive(text));
    }
    expect(set.memoStats.served).toBeGreaterThan(1_900);
  });

  it('stays right while it fills up, and stops looking up values that do not repeat', () => {
    const set = build();
    for (let k = 0; k < 5_000; k++) {
      const text = `c:\\temp\\${k}\\CMD.EXE`;
      expect(found(set, text)).toEqual(naive(text));
    }
    // Full after 1,024 values without one served: paused, so the other values were scanned without a lookup.
    expect(set.memoStats.served).toBe(0);
    expect(set.memoStats.lookups).toBeLessThan(1_100);
  });

  it('leaves values shorter than 8 or longer than 64 characters to the scan, and can be turned off', () => {
    const set = build();
    for (const text of ['ab', 'cmd.exe', `${'x'.repeat(60)}\\cmd.exe`]) {
      expect(found(set, text)).toEqual(naive(text));
      expect(found(set, text)).toEqual(naive(text));
    }
    expect(set.memoStats).toEqual({ lookups: 0, served: 0 });
    const off = build(false);
    expect(found(off, 'c:\\temp\\x')).toEqual([2]);
    expect(found(off, 'c:\\temp\\x')).toEqual([2]);
    expect(off.memoStats).toEqual({ lookups: 0, served: 0 });
  });

  it('keeps each payload once for a value that reports hundreds (a needle found twice)', () => {
    const set = new NeedleSet<number>();
    for (let i = 0; i < 150; i++) set.add('\\powershell.exe', i);
    set.add('.exe', 150);
    const text = 'a\\powershell.exe b\\powershell.exe';
    const calls: number[][] = [[], []];
    for (const list of calls) set.scanFolded(text, (h) => list.push(h));
    // The first scan reports each needle's payloads at each occurrence; the memo gives them back once each.
    expect(calls[0]!.length).toBe(302);
    expect(calls[1]!.sort((a, b) => a - b)).toEqual(Array.from({ length: 151 }, (_, i) => i));
    expect(set.memoStats.served).toBe(1);
  });

  it('forgets what it holds when a needle is added', () => {
    const set = build();
    expect(found(set, 'c:\\tools\\evil.exe')).toEqual([]);
    set.add('evil', 9);
    expect(found(set, 'c:\\tools\\evil.exe')).toEqual([9]);
  });
});

function word(random: (n: number) => number, alphabet: string, max = 4): string {
  return Array.from({ length: 1 + random(max) }, () => alphabet[random(alphabet.length)]).join('');
}

describe('nativeEquivalent (built-in RegExp for short ASCII texts)', () => {
  const texts = [
    '',
    'C:\\Users\\x\\AppData\\a.b.exe ',
    'cmd /c "x.y.z" 0123456789abcdefABCDEF',
    'line1\nline2\r\nEND',
    'tab\there\vvt\fff',
    'Kelvin K ks SS',
    '${env:path} `i`e`x [x] {2} a-b',
    ' ' + 'a'.repeat(64) + ' ' + 'b'.repeat(16),
  ];
  it.each([
    ['\\\\[a-zA-Z0-9]{1,32}\\.[a-zA-Z0-9]{1,6}\\.[ "\']{1}', false],
    ['\\s[a-fA-F0-9]{64}\\s[a-fA-F0-9]{16}', true],
    ['(?i)\\$\\{`?e`?n`?v`?:`?p`?a`?t`?h`?\\}', false],
    ['^line1.line2', false],
    ['line2.\\r?\\nEND$', true],
    ['\\bks\\b|(x|y)\\.', false],
    ['[]a-]{2}', false],
    ['[^\\s\\d]{3}\\S', false],
    ['k', true],
    ['\\v\\t', false],
  ])('%s (i: %s) matches what RE2 matches', (pattern, i) => {
    const native = nativeEquivalent(pattern, { i });
    expect(native).not.toBeNull();
    const re2 = RE2JS.compile(pattern, i ? RE2JS.CASE_INSENSITIVE : 0);
    for (const text of texts) expect([text, native!.test(text)]).toEqual([text, re2.test(text)]);
  });
  it.each([
    '(a+)+$',
    'a*b',
    'x{2,}',
    '(ab){2}',
    '\\s?'.repeat(12),
    '(?m)^a',
    '(?s)a.b',
    '\\p{L}',
    '[[:alpha:]]',
    '\\x41',
    'é',
    'a??',
    '[\\w-z]',
  ])('leaves %s to RE2', (pattern) => {
    expect(nativeEquivalent(pattern)).toBeNull();
  });
  it('leaves multiline patterns to RE2 and reads s as RE2 does', () => {
    expect(nativeEquivalent('^a', { m: true })).toBeNull();
    expect(nativeEquivalent('a.b', { s: true })!.test('a\nb')).toBe(true);
    expect(nativeEquivalent('a.b')!.test('a\nb')).toBe(false);
    expect(nativeEquivalent('a.b')!.test('a\rb')).toBe(true);
  });
});

describe('EventView caches', () => {
  it('keep interleaved views apart and see fields added before forget()', () => {
    const a = new EventView({ Image: 'C:\\A.exe', Count: 12 });
    const b = new EventView({ Image: 'C:\\B.exe', image2: 'X' });
    expect(a.lower('Image')).toBe('c:\\a.exe');
    expect(b.lower('Image')).toBe('c:\\b.exe');
    expect(a.lower('Image')).toBe('c:\\a.exe');
    expect(a.loweredString('Image', 'C:\\A.exe')).toBe(a.loweredString('Image', 'C:\\A.exe'));
    expect(a.lower('Count')).toBe('12');
    // Absent, then looked up in any case, for each view on its own.
    expect(a.value('IMAGE2')).toBeUndefined();
    expect(b.value('IMAGE2')).toBe('X');
    expect(a.value('IMAGE2')).toBeUndefined();
    a.fields.Image2 = 'y';
    expect(a.value('IMAGE2')).toBeUndefined(); // cached until forget()
    a.forget();
    expect(a.value('IMAGE2')).toBe('y');
    expect(a.lower('Image2')).toBe('y');
  });
});

describe('lists of plain values', () => {
  // A list is tested as one group (set, prefix and suffix loops, one alternation or automaton for `contains`);
  // each value alone (`|all` with one value never groups) is the reference.
  const random = seeded(7);
  const word = (): string => Array.from({ length: 1 + random(4) }, () => 'aB.\\(|x*?'[random(9)]).join('');
  const modifiers = ['', '|contains', '|startswith', '|endswith'];
  it.each([2, 5, 70])('gives what its values give one by one (%i values)', (count) => {
    for (let round = 0; round < 60; round++) {
      const mod = modifiers[random(4)]!;
      const values = Array.from({ length: count }, word);
      const list = compileRule(rule({ selection: fields({ [`F${mod}`]: values }) }));
      const singles = values.map((v) => compileRule(rule({ selection: fields({ [`F${mod}|all`]: [v] }) })));
      for (let t = 0; t < 40; t++) {
        const text = Array.from({ length: random(12) }, () => 'abAB.\\(|x*?-'[random(12)]).join('');
        for (const value of [text, [text, 'zz'], 7]) {
          const ev = new EventView({ F: value });
          expect(list.match(ev), `${mod} ${JSON.stringify(values)} on ${JSON.stringify(value)}`).toBe(
            singles.some((s) => s.match(new EventView({ F: value }))),
          );
        }
      }
    }
  });
  it.each([1, 2, 5])('with `all`, gives what every value gives alone (%i values)', (count) => {
    for (let round = 0; round < 60; round++) {
      const mod = modifiers[random(4)]!;
      const values = Array.from({ length: count }, word);
      const every = compileRule(rule({ selection: fields({ [`F${mod}|all`]: values }) }));
      const singles = values.map((v) => compileRule(rule({ selection: fields({ [`F${mod}`]: [v] }) })));
      for (let t = 0; t < 40; t++) {
        // Texts made of the values' own pieces, so that every value holding is common enough to be tested.
        const text = Array.from({ length: random(4) }, () => values[random(count)]!.replace(/[*?]/g, 'x')).join('a');
        for (const value of [text, text.toUpperCase(), [text, 'zz'], 7]) {
          const ev = new EventView({ F: value });
          expect(every.match(ev), `${mod}|all ${JSON.stringify(values)} on ${JSON.stringify(value)}`).toBe(
            singles.every((s) => s.match(new EventView({ F: value }))),
          );
        }
      }
    }
  });
});

/** A deterministic pseudo-random source (`random(n)` in 0..n-1) for the property tests of this file. */
function seeded(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
}

/** One to six atoms, each with a quantifier, drawn at random. */
function randomPattern(random: (n: number) => number, atoms: string[], quantifiers: string[]): string {
  return Array.from(
    { length: 1 + random(6) },
    () => atoms[random(atoms.length)]! + quantifiers[random(quantifiers.length)]!,
  ).join('');
}
