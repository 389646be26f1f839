/**
 * TextMate grammars for the query languages Shiki has none for: Elastic EQL
 * and ES|QL. Small on purpose: keywords, functions, strings, numbers,
 * comments, operators; enough to read a query at a glance.
 */
import type { LanguageRegistration } from 'shiki';

function words(list: string[]): string {
  return `(?i)\\b(?:${list.join('|')})\\b`;
}

const strings = [
  { name: 'string.quoted.triple.query', begin: '"""', end: '"""' },
  {
    name: 'string.quoted.double.query',
    begin: '"',
    end: '"',
    patterns: [{ name: 'constant.character.escape.query', match: '\\\\.' }],
  },
  {
    name: 'string.quoted.single.query',
    begin: "'",
    end: "'",
    patterns: [{ name: 'constant.character.escape.query', match: '\\\\.' }],
  },
];

/** Elastic Event Query Language. */
export const eqlGrammar: LanguageRegistration = {
  name: 'eql',
  scopeName: 'source.eql',
  repository: {},
  displayName: 'EQL',
  patterns: [
    { name: 'comment.line.double-slash.eql', match: '//.*$' },
    { name: 'comment.block.eql', begin: '/\\*', end: '\\*/' },
    ...strings,
    {
      name: 'keyword.control.eql',
      match: words([
        'sequence',
        'sample',
        'by',
        'with',
        'maxspan',
        'where',
        'until',
        'runs',
        'of',
        'any',
        'head',
        'tail',
        'filter',
        'unique',
        'unique_count',
        'count',
      ]),
    },
    {
      name: 'keyword.operator.logical.eql',
      match: words(['and', 'or', 'not', 'in', 'like', 'regex', 'in~', 'like~', 'regex~']),
    },
    { name: 'constant.language.eql', match: words(['true', 'false', 'null']) },
    {
      name: 'support.function.eql',
      match:
        '(?i)\\b(?:add|between|cidrMatch|concat|divide|endsWith|indexOf|length|modulo|multiply|number|startsWith|string|stringContains|substring|subtract)(?=\\s*\\()',
    },
    {
      name: 'entity.name.type.event-category.eql',
      match:
        '(?i)\\b(?:process|file|network|registry|library|dns|authentication|driver|host|iam|session)(?=\\s+where\\b)',
    },
    { name: 'constant.numeric.eql', match: '\\b\\d+(?:\\.\\d+)?[smhd]?\\b' },
    { name: 'keyword.operator.eql', match: '==|!=|<=|>=|<|>|:|\\*|\\+|-|/|%' },
    { name: 'variable.other.field.eql', match: '[A-Za-z_@][\\w.@]*' },
  ],
};

/** Elasticsearch Query Language (ES|QL). */
export const esqlGrammar: LanguageRegistration = {
  name: 'esql',
  scopeName: 'source.esql',
  repository: {},
  displayName: 'ES|QL',
  patterns: [
    { name: 'comment.line.double-slash.esql', match: '//.*$' },
    { name: 'comment.block.esql', begin: '/\\*', end: '\\*/' },
    ...strings,
    {
      name: 'keyword.control.command.esql',
      match: words([
        'FROM',
        'ROW',
        'SHOW',
        'METRICS',
        'WHERE',
        'EVAL',
        'STATS',
        'BY',
        'KEEP',
        'DROP',
        'RENAME',
        'SORT',
        'LIMIT',
        'DISSECT',
        'GROK',
        'ENRICH',
        'MV_EXPAND',
        'LOOKUP',
        'JOIN',
        'ON',
        'WITH',
        'METADATA',
        'ASC',
        'DESC',
        'NULLS',
        'FIRST',
        'LAST',
        'AS',
      ]),
    },
    { name: 'keyword.operator.logical.esql', match: words(['AND', 'OR', 'NOT', 'IN', 'LIKE', 'RLIKE', 'IS', 'NULL']) },
    { name: 'constant.language.esql', match: words(['true', 'false', 'null']) },
    { name: 'support.function.esql', match: '\\b[A-Za-z_][A-Za-z0-9_]*(?=\\s*\\()' },
    { name: 'constant.numeric.esql', match: '\\b\\d+(?:\\.\\d+)?\\b' },
    { name: 'keyword.operator.pipe.esql', match: '\\|' },
    { name: 'keyword.operator.esql', match: '==|!=|<=|>=|<|>|=|\\+|-|\\*|/|%' },
    { name: 'variable.other.field.esql', match: '[A-Za-z_@][\\w.@]*' },
  ],
};
