/**
 * The merged rule: a detection's Sigma block plus the metadata that lives in
 * its frontmatter and prose (DESIGN.md, "The detection document"), and a
 * deterministic YAML writer for it. The bundle ships this rule.
 */
import type { RootContent } from 'mdast';
import { stringify } from 'yaml';
import type { Detection, Section } from '../detection/model.ts';
import { primarySigmaDocument } from './primary.ts';
import { uuidV5 } from './sha1.ts';
import type { SigmaDocument } from './model.ts';

/** Key order of a written rule: SigmaHQ's convention, then anything else in its original order. */
const KEY_ORDER = [
  'title',
  'id',
  'name',
  'related',
  'status',
  'description',
  'references',
  'author',
  'date',
  'modified',
  'tags',
  'logsource',
  'correlation',
  'filter',
  'detection',
  'fields',
  'falsepositives',
  'level',
];

function section(detection: Detection, key: Section['key']): Section | undefined {
  return detection.sections.find((s) => s.key === key && !s.todo);
}

function visit(nodes: readonly RootContent[], fn: (node: RootContent) => void): void {
  for (const node of nodes) {
    fn(node);
    if ('children' in node) visit(node.children as RootContent[], fn);
  }
}

function plainText(nodes: readonly RootContent[]): string {
  let out = '';
  visit(nodes, (n) => {
    if (n.type === 'text' || n.type === 'inlineCode') out += n.value;
  });
  return out.replace(/\s+/g, ' ').trim();
}

/** Items of the first list in a section (False Positives), else its paragraphs. */
function listItems(s: Section): string[] {
  const items: string[] = [];
  visit(s.nodes, (n) => {
    if (n.type === 'listItem') items.push(plainText(n.children as RootContent[]));
  });
  if (items.length) return items.filter((i) => i.length >= 2);
  return s.nodes
    .filter((n) => n.type === 'paragraph')
    .map((n) => plainText([n]))
    .filter((t) => t.length >= 2);
}

/** Every link target of a section (Additional Resources), in order, once each. */
function links(s: Section): string[] {
  const urls: string[] = [];
  visit(s.nodes, (n) => {
    if (n.type === 'link' && !urls.includes(n.url)) urls.push(n.url);
  });
  return urls;
}

/** Orders a rule's keys for writing. */
function ordered(rule: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of KEY_ORDER) if (rule[key] !== undefined) out[key] = rule[key];
  for (const [key, value] of Object.entries(rule)) if (!(key in out) && value !== undefined) out[key] = value;
  return out;
}

/**
 * The complete Sigma rule of a detection: its first Sigma document (the rule,
 * or the outermost correlation) with title, id, status, level, tags (ATT&CK
 * techniques and tactics from the frontmatter first), author, dates,
 * description (Goal), falsepositives (False Positives) and references
 * (Additional Resources) merged in. The block's own values win only where
 * the frontmatter says nothing. Undefined when the detection has no Sigma.
 */
export function toSigmaRule(detection: Detection): Record<string, unknown> | undefined {
  const document: SigmaDocument | undefined = primarySigmaDocument(detection.sigma);
  if (!document) return undefined;
  const fm = detection.frontmatter;
  const rule: Record<string, unknown> = { ...document.raw };
  if (fm) {
    rule['title'] = fm.title;
    rule['id'] = fm.id;
    rule['status'] = fm.status;
    rule['level'] = fm.severity;
    rule['author'] = fm.authors.join(', ');
    rule['date'] = fm.created;
    if (fm.modified) rule['modified'] = fm.modified;
    const tags: string[] = [];
    const add = (tag: string): void => {
      if (!tags.includes(tag)) tags.push(tag);
    };
    for (const tactic of fm.tactics) add(`attack.${tactic}`);
    for (const technique of fm.attack) add(`attack.${technique.toLowerCase()}`);
    for (const tag of fm.tags) if (tag.includes('.')) add(tag);
    for (const tag of document.tags) add(tag);
    if (tags.length) rule['tags'] = tags;
    if (fm.source?.license && rule['license'] === undefined) rule['license'] = fm.source.license;
  }
  const goal = section(detection, 'goal');
  if (goal && goal.text.trim()) rule['description'] = goal.text.trim();
  const falsePositives = section(detection, 'false-positives');
  if (falsePositives) {
    const items = listItems(falsePositives);
    if (items.length) rule['falsepositives'] = items;
  }
  const resources = section(detection, 'additional-resources');
  if (resources) {
    const urls = links(resources);
    const own = Array.isArray(document.raw['references']) ? (document.raw['references'] as string[]) : [];
    const all = [...own, ...urls.filter((u) => !own.includes(u))];
    if (all.length) rule['references'] = all;
  }
  return ordered(rule);
}

/**
 * Every Sigma document of a detection, in block order, with the detection
 * itself (see {@link primarySigmaDocument}) merged as {@link toSigmaRule} does.
 * The other documents (a correlation's base rules) stay as written, except
 * that one without a title or id gets one, so each document is a complete
 * rule: title "<detection title>: <name>", and a v5 UUID of the detection id
 * and the document's name (stable across builds). Empty without Sigma.
 */
export function toSigmaRules(detection: Detection): Record<string, unknown>[] {
  const primary = primarySigmaDocument(detection.sigma);
  const fm = detection.frontmatter;
  return detection.sigma.map((d, index) => {
    if (d === primary) return toSigmaRule(detection)!;
    const rule: Record<string, unknown> = { ...d.raw };
    const label = typeof rule['name'] === 'string' && rule['name'] ? rule['name'] : `rule ${index + 1}`;
    if (typeof rule['title'] !== 'string' || !rule['title'])
      rule['title'] = `${fm?.title ?? detection.title}: ${label}`;
    if (rule['id'] === undefined && fm) rule['id'] = uuidV5(label, fm.id);
    return ordered(rule);
  });
}

/** Writes a Sigma rule as YAML the way SigmaHQ does: 4-space indent, no line wrapping, stable key order. */
export function writeSigmaYaml(rule: Record<string, unknown> | Record<string, unknown>[]): string {
  const documents = Array.isArray(rule) ? rule : [rule];
  return documents
    .map((d) => stringify(ordered(d), { indent: 4, indentSeq: true, lineWidth: 0, singleQuote: true, version: '1.2' }))
    .join('---\n');
}
