/**
 * Page data for the site, from parsed detections: index rows and facets, the
 * detection pages, the ATT&CK matrix. Pure (no file system), unit tested.
 */
import { pagePath, pageSlug } from '../core/bundle/page.ts';
import { mergedSigma, sigmaYaml } from '../core/bundle/sigma.ts';
import { SEVERITIES, STATUSES, TACTICS } from '../core/detection/frontmatter-fields.ts';
import type { Block, Detection, SampleBlock } from '../core/detection/model.ts';
import type { Code, RootContent } from 'mdast';
import type { DetectionTestResult } from '../core/sigma/evaluate/run-tests.ts';
import { escapeHtml, sectionsToHtml } from './markdown.ts';
import { techniqueName, type AttackNames } from './attack.ts';
import type { FileHistory } from './git-history.ts';

/** One row of the catalog index. */
export interface DetectionRow {
  slug: string;
  href: string;
  id: string;
  title: string;
  status: string;
  severity: string;
  /** 0 informational … 4 critical, for sorting. */
  severityRank: number;
  platform: string;
  owner: string;
  tactics: string[];
  attack: string[];
  dataSources: string[];
  created: string;
  modified: string;
  path: string;
  /** Plain text of the Goal, for the row's summary. */
  goal: string;
}

/** Renders a code block to trusted HTML (the highlighter). */
export type Highlight = (code: string, lang: string | null | undefined) => string;

/** Human names of block languages. */
export const LANGUAGE_LABELS: Record<string, string> = {
  sigma: 'Sigma',
  spl: 'Splunk SPL',
  kql: 'KQL (Sentinel / Defender)',
  esql: 'Elastic ES|QL',
  eql: 'Elastic EQL',
  lucene: 'Lucene',
  sql: 'SQL',
  json: 'JSON',
  yaml: 'YAML',
};

/** `defense-evasion` -> `Defense Evasion`. */
export function tacticName(short: string, names?: AttackNames): string {
  return (
    names?.tactics.get(short) ??
    short
      .split('-')
      .map((w) => (w === 'and' ? w : w[0]!.toUpperCase() + w.slice(1)))
      .join(' ')
  );
}

/** Tactic shortnames in matrix order: the bundle's when there is one, with Loom's list after it. */
export function tacticOrder(names?: AttackNames): string[] {
  if (!names?.tacticOrder.length) return [...TACTICS];
  return [...names.tacticOrder, ...TACTICS.filter((t) => !names.tacticOrder.includes(t))];
}

/** attack.mitre.org URL of a technique (`T1059.001` -> `/techniques/T1059/001/`). */
export function techniqueUrl(id: string): string {
  return `https://attack.mitre.org/techniques/${id.replace('.', '/')}/`;
}

/** The index row of a detection; undefined without valid frontmatter. */
export function detectionRow(detection: Detection): DetectionRow | undefined {
  const fm = detection.frontmatter;
  if (!fm) return undefined;
  const goal = detection.sections.find((s) => s.key === 'goal');
  return {
    slug: pageSlug(detection),
    href: pagePath(detection),
    id: fm.id,
    title: fm.title,
    status: fm.status,
    severity: fm.severity,
    severityRank: (SEVERITIES as readonly string[]).indexOf(fm.severity),
    platform: fm.platform ?? 'other',
    owner: fm.owner,
    tactics: [...fm.tactics],
    attack: [...fm.attack],
    dataSources: [...fm.data_sources],
    created: fm.created,
    modified: fm.modified ?? fm.created,
    path: detection.path,
    goal: goal ? goal.text.replace(/\s+/g, ' ').trim().slice(0, 240) : '',
  };
}

/** Rows sorted by title. */
export function indexRows(detections: readonly Detection[]): DetectionRow[] {
  return detections
    .map(detectionRow)
    .filter((r): r is DetectionRow => r !== undefined)
    .sort((a, b) => a.title.localeCompare(b.title, 'en') || a.path.localeCompare(b.path, 'en'));
}

/** A filter of the index and its values with counts. */
export interface Facet {
  key: 'tactic' | 'technique' | 'status' | 'severity' | 'platform' | 'datasource' | 'owner';
  label: string;
  values: { value: string; label: string; count: number }[];
}

/** The filters of the index, from the rows. */
export function facets(rows: readonly DetectionRow[], names?: AttackNames): Facet[] {
  const count = (pick: (r: DetectionRow) => string[]): Map<string, number> => {
    const m = new Map<string, number>();
    for (const r of rows) for (const v of new Set(pick(r))) m.set(v, (m.get(v) ?? 0) + 1);
    return m;
  };
  const ordered = (m: Map<string, number>, order?: readonly string[], label = (v: string) => v) =>
    [...m]
      .sort(([a], [b]) =>
        order ? order.indexOf(a) - order.indexOf(b) || a.localeCompare(b, 'en') : a.localeCompare(b, 'en'),
      )
      .map(([value, n]) => ({ value, label: label(value), count: n }));
  return [
    {
      key: 'tactic',
      label: 'Tactic',
      values: ordered(
        count((r) => r.tactics),
        tacticOrder(names),
        (t) => tacticName(t, names),
      ),
    },
    {
      key: 'technique',
      label: 'Technique',
      values: ordered(
        count((r) => r.attack),
        undefined,
        (t) => (names?.techniques.has(t) ? `${t} ${techniqueName(t, names)}` : t),
      ),
    },
    {
      key: 'status',
      label: 'Status',
      values: ordered(
        count((r) => [r.status]),
        STATUSES,
      ),
    },
    {
      key: 'severity',
      label: 'Severity',
      values: ordered(
        count((r) => [r.severity]),
        [...SEVERITIES].reverse(),
      ),
    },
    { key: 'platform', label: 'Platform', values: ordered(count((r) => [r.platform])) },
    { key: 'datasource', label: 'Data source', values: ordered(count((r) => r.dataSources)) },
    { key: 'owner', label: 'Owner', values: ordered(count((r) => [r.owner])) },
  ];
}

/** One rendered ADS section. */
export interface SectionView {
  key: string | null;
  heading: string;
  /** Anchor id on the page. */
  anchor: string;
  html: string;
}

/** Everything a detection page shows. */
export interface DetectionPage {
  row: DetectionRow;
  authors: string[];
  sections: SectionView[];
  /** Highlighted merged Sigma rule (YAML), when the detection has Sigma. */
  mergedSigmaHtml?: string;
  samples: { name: string; expect: string; passed?: boolean }[];
  editUrl?: string;
  source?: { author?: string; url?: string; license?: string };
  /** Errors found by `loom check`, so a broken page can say it. */
  errors: string[];
  /** The document's git history, when it is committed and git is available. */
  history?: PageHistory;
}

/** A document's last change and its authors, from git. */
export interface PageHistory {
  /** Committer date of the last change (ISO 8601). */
  date: string;
  /** `YYYY-MM-DD` of {@link date}, as committed (the committer's time zone). */
  day: string;
  commit: string;
  shortCommit: string;
  subject: string;
  /** The commit on the repository's site, when a repository URL is configured. */
  commitUrl?: string;
  /** Distinct git authors, most commits first. */
  authors: string[];
  commits: number;
}

/** The page's view of a file's git history. */
export function pageHistory(history: FileHistory, commitUrl?: (commit: string) => string | undefined): PageHistory {
  const { commit, shortCommit, date, subject } = history.last;
  const url = commitUrl?.(commit);
  return {
    date,
    day: date.slice(0, 10),
    commit,
    shortCommit,
    subject,
    ...(url ? { commitUrl: url } : {}),
    authors: [...history.authors],
    commits: history.commits,
  };
}

function anchorOf(heading: string, used: Set<string>): string {
  const base =
    heading
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'section';
  let anchor = base;
  for (let i = 2; used.has(anchor); i++) anchor = `${base}-${i}`;
  used.add(anchor);
  return anchor;
}

/** A figure around a highlighted block: language, sample expectation and result, copy button. */
function codeFigure(inner: string, label: string, extra = '', kind = 'code'): string {
  return (
    `<figure class="code ${kind}"><figcaption><span class="code-label">${escapeHtml(label)}</span>${extra}` +
    `<button type="button" class="copy" aria-label="Copy ${escapeHtml(label)}">Copy</button></figcaption>${inner}</figure>`
  );
}

/** The highlighting language of a fenced block: `sigma`, the query's language, else the fence's. */
function codeLanguage(node: Code, byLine: ReadonlyMap<number, Block>): string | null | undefined {
  const block = node.position ? byLine.get(node.position.start.line) : undefined;
  return block?.kind === 'sigma' ? 'sigma' : block?.kind === 'query' ? block.language : node.lang;
}

/**
 * Every (code, language) pair {@link detectionPage} will ask its highlighter
 * for, so a build can highlight them all beforehand (in parallel, each once).
 */
export function highlightRequests(
  detection: Detection,
  mergedYaml = mergedSigmaYaml(detection),
): { code: string; lang: string | null | undefined }[] {
  if (!detection.frontmatter) return [];
  const byLine = new Map(detection.blocks.map((b) => [b.range.start.line, b]));
  const requests: { code: string; lang: string | null | undefined }[] = [];
  const visit = (nodes: readonly RootContent[]): void => {
    for (const node of nodes) {
      if (node.type === 'code') requests.push({ code: node.value, lang: codeLanguage(node, byLine) });
      else if ('children' in node) visit(node.children as RootContent[]);
    }
  };
  for (const section of detection.sections) visit(section.nodes);
  if (mergedYaml !== null) requests.push({ code: mergedYaml, lang: 'yaml' });
  return requests;
}

/** The merged Sigma rule(s) as YAML, the page shows; null for a detection without Sigma. */
export function mergedSigmaYaml(detection: Detection): string | null {
  const rules = mergedSigma(detection);
  return rules.length ? sigmaYaml(rules) : null;
}

/** The data of a detection's page. */
export function detectionPage(
  detection: Detection,
  options: {
    highlight: Highlight;
    tests?: DetectionTestResult;
    editUrl?: string;
    errors?: string[];
    history?: PageHistory;
    /** {@link mergedSigmaYaml} of the detection, when the caller has it already. */
    mergedYaml?: string | null;
  },
): DetectionPage | undefined {
  const row = detectionRow(detection);
  if (!row) return undefined;
  const fm = detection.frontmatter!;
  const byLine = new Map(detection.blocks.map((b) => [b.range.start.line, b]));
  const results = new Map((options.tests?.samples ?? []).map((s) => [s.range.start.line, s]));
  const renderCode = (node: Code): string => {
    const block = node.position ? byLine.get(node.position.start.line) : undefined;
    const lang = codeLanguage(node, byLine);
    const html = options.highlight(node.value, lang);
    if (block?.kind === 'sample') {
      const sample = block as SampleBlock;
      const result = results.get(block.range.start.line);
      const verdict =
        result === undefined
          ? ''
          : result.passed
            ? '<span class="badge pass">passes</span>'
            : '<span class="badge fail">fails</span>';
      const extra = `<span class="badge expect-${sample.expect}">expect ${sample.expect}</span>${verdict}`;
      return codeFigure(html, `Sample: ${sample.name}`, extra, 'sample');
    }
    const label = LANGUAGE_LABELS[lang ?? ''] ?? (lang || 'Code');
    return codeFigure(html, label, '', block ? `block-${lang}` : 'code');
  };
  const used = new Set<string>(['merged-sigma-rule', 'main']);
  const html = sectionsToHtml(
    detection.sections.map((s) => s.nodes),
    renderCode,
  );
  const sections = detection.sections.map((s, i) => ({
    key: s.key,
    heading: s.heading,
    anchor: anchorOf(s.heading, used),
    html: html[i]!,
  }));
  const page: DetectionPage = {
    row,
    authors: [...fm.authors],
    sections,
    samples: detection.blocks
      .filter((b): b is SampleBlock => b.kind === 'sample')
      .map((b) => {
        const r = results.get(b.range.start.line);
        return r ? { name: b.name, expect: b.expect, passed: r.passed } : { name: b.name, expect: b.expect };
      }),
    errors: options.errors ?? [],
  };
  const mergedYaml = options.mergedYaml === undefined ? mergedSigmaYaml(detection) : options.mergedYaml;
  if (mergedYaml !== null)
    page.mergedSigmaHtml = codeFigure(options.highlight(mergedYaml, 'yaml'), 'Merged Sigma rule (YAML)');
  if (options.editUrl) page.editUrl = options.editUrl;
  if (options.history) page.history = options.history;
  if (fm.source) page.source = fm.source;
  return page;
}

/** One cell of the ATT&CK matrix: a (parent) technique under a tactic. */
export interface MatrixCell {
  id: string;
  name: string;
  /** Detections covering it (sub-techniques roll up into the parent). */
  detections: { title: string; href: string; status: string; technique: string }[];
  /** 0 none, 1 one, 2 two or three, 3 four or more. */
  level: number;
  /** Best status among them: stable > test > experimental > deprecated; empty when none. */
  best: string;
}

/** A tactic column of the matrix. */
export interface MatrixColumn {
  tactic: string;
  name: string;
  cells: MatrixCell[];
  covered: number;
}

const STATUS_RANK: Record<string, number> = { stable: 4, test: 3, experimental: 2, deprecated: 1 };

/**
 * The coverage matrix. With ATT&CK names, every technique of each tactic is
 * shown (gaps included), placed by the bundle's kill-chain phases; without,
 * only the techniques the detections declare, under the detections' tactics.
 */
export function attackMatrix(rows: readonly DetectionRow[], names?: AttackNames): MatrixColumn[] {
  const columns = new Map<string, Map<string, MatrixCell>>();
  const cell = (tactic: string, id: string): MatrixCell => {
    let col = columns.get(tactic);
    if (!col) columns.set(tactic, (col = new Map()));
    let c = col.get(id);
    if (!c) {
      c = { id, name: names?.techniques.get(id)?.name ?? id, detections: [], level: 0, best: '' };
      col.set(id, c);
    }
    return c;
  };
  if (names) {
    for (const [id, t] of names.techniques) if (!id.includes('.')) for (const tactic of t.tactics) cell(tactic, id);
  }
  for (const row of rows) {
    for (const technique of row.attack) {
      const parent = technique.split('.')[0]!;
      const known = names?.techniques.get(parent) ?? names?.techniques.get(technique);
      let tactics = row.tactics;
      if (known) {
        const both = row.tactics.filter((t) => known.tactics.includes(t));
        tactics = both.length ? both : known.tactics;
      }
      for (const tactic of tactics) {
        const c = cell(tactic, parent);
        if (!c.detections.some((d) => d.href === row.href))
          c.detections.push({ title: row.title, href: row.href, status: row.status, technique });
      }
    }
  }
  const tactics = tacticOrder(names);
  const order = (t: string): number => {
    const i = tactics.indexOf(t);
    return i === -1 ? tactics.length : i;
  };
  return [...columns]
    .sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b, 'en'))
    .map(([tactic, col]) => {
      const cells = [...col.values()]
        .map((c) => {
          const n = c.detections.length;
          c.level = n === 0 ? 0 : n === 1 ? 1 : n <= 3 ? 2 : 3;
          c.best = c.detections.reduce(
            (best, d) => ((STATUS_RANK[d.status] ?? 0) > (STATUS_RANK[best] ?? 0) ? d.status : best),
            '',
          );
          c.detections.sort((a, b) => a.title.localeCompare(b.title, 'en'));
          return c;
        })
        .sort((a, b) => a.name.localeCompare(b.name, 'en') || a.id.localeCompare(b.id, 'en'));
      return { tactic, name: tacticName(tactic, names), cells, covered: cells.filter((c) => c.level > 0).length };
    });
}

/** Data sources and the detections that need each. */
export function dataSourceIndex(rows: readonly DetectionRow[]): { name: string; rows: DetectionRow[] }[] {
  const m = new Map<string, DetectionRow[]>();
  for (const r of rows) for (const ds of r.dataSources) m.set(ds, [...(m.get(ds) ?? []), r]);
  return [...m].sort(([a], [b]) => a.localeCompare(b, 'en')).map(([name, list]) => ({ name, rows: list }));
}
