/**
 * mdast -> Detection. Finds the frontmatter, the ADS sections and the fenced
 * blocks, parses what they hold, and reports what is malformed. Pure: the
 * remark plugin hands it the tree and the text.
 */
import type { Code, Heading, Root, RootContent } from 'mdast';
import { code as c, diagnostic, type Diagnostic, type Point, type Range } from '../diagnostics.ts';
import { parseSigmaBlock } from '../sigma/parse.ts';
import type { SigmaDocument } from '../sigma/model.ts';
import { validateSigmaDocuments } from '../sigma/validate.ts';
import type { TextSource } from '../text/source.ts';
import { parseInfoAttributes } from './info-string.ts';
import { QUERY_LANGUAGES, type Block, type Detection, type QueryLanguage, type Section } from './model.ts';
import { readFrontmatter } from './read-frontmatter.ts';
import { readSampleEvents } from './samples.ts';
import { sectionForHeading, type SectionKey } from './sections.ts';

/** Input to {@link extractDetection}. */
export interface ExtractInput {
  /** Path of the file as given. */
  path: string;
  /** The file's text (the tree's positions index into it). */
  text: string;
}

/** A to-do marker: the scaffold's guidance lines start with it. */
export const TODO_MARKER = /^\s*(?:TODO|TBD)\b/i;

const SAMPLE_LANGUAGES = new Set(['json', 'ndjson', 'jsonl']);

/** Builds the Detection model of one document. */
export function extractDetection(tree: Root, input: ExtractInput): Detection {
  const diagnostics: Diagnostic[] = [];
  const lineStarts = lineStartsOf(input.text);

  let frontmatter: Detection['frontmatter'] = null;
  let rawFrontmatter: Detection['rawFrontmatter'] = null;
  let frontmatterLines: Detection['frontmatterLines'] = {};
  const yamlNode = tree.children[0]?.type === 'yaml' ? tree.children[0] : undefined;
  if (yamlNode?.position) {
    const fenceRange = rangeOf(yamlNode)!;
    const source: TextSource = { text: yamlNode.value, line: fenceRange.start.line + 1, column: 1 };
    source.offset = lineStarts[source.line - 1] ?? 0;
    const result = readFrontmatter(source, {
      start: fenceRange.start,
      end: { line: fenceRange.start.line, column: 4 },
    });
    frontmatter = result.frontmatter;
    rawFrontmatter = result.raw;
    frontmatterLines = result.lines;
    diagnostics.push(...result.diagnostics);
  } else {
    diagnostics.push(
      diagnostic(
        'frontmatter/missing',
        'error',
        'Unexpected document without frontmatter, expected a `---` YAML block first (id, title, status, …)',
        {
          place: { line: 1, column: 1 },
        },
      ),
    );
  }

  const headingOf = headingReader();
  const sections = readSections(tree, input.text, headingOf);
  const blocks: Block[] = [];
  const sigma: SigmaDocument[] = [];
  for (const section of [
    { key: null, nodes: leadingNodes(tree, headingOf) } as Pick<Section, 'key' | 'nodes'>,
    ...sections,
  ]) {
    for (const node of walkCode(section.nodes)) {
      const block = readBlock(node, section.key, input.text, lineStarts, diagnostics);
      if (!block) continue;
      blocks.push(block);
      if (block.kind === 'sigma' && block.source.text.trim() !== '') {
        const parsed = parseSigmaBlock(block.source);
        sigma.push(...parsed.documents);
        diagnostics.push(...parsed.diagnostics);
      }
    }
  }
  // In a detection document metadata lives in the frontmatter, even when it is
  // invalid (its own diagnostics say so): the block is never judged as a plain Sigma file.
  if (sigma.length > 0)
    diagnostics.push(
      ...validateSigmaDocuments(sigma, { frontmatter: frontmatter ?? looseFrontmatter(rawFrontmatter) }),
    );

  const firstH1 = tree.children.find((n): n is Heading => n.type === 'heading' && n.depth === 1);
  const rawTitle = rawFrontmatter?.['title'];
  const title =
    frontmatter?.title ??
    (typeof rawTitle === 'string' ? rawTitle : firstH1 ? textOf(firstH1) : (input.path.split('/').pop() ?? input.path));

  return {
    path: input.path,
    frontmatter,
    rawFrontmatter,
    frontmatterLines,
    title,
    sections,
    blocks,
    sigma,
    diagnostics,
  };
}

/** The frontmatter fields a Sigma validator reads, taken as written when the frontmatter is invalid. */
function looseFrontmatter(raw: Record<string, unknown> | null): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(raw ?? {})) {
    if (typeof value === 'string') out[key] = value;
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) out[key] = value as string[];
  }
  return out;
}

/**
 * Splits the document into sections. Section headings are those at the
 * shallowest depth that names an ADS section (real documents use H1 or H2);
 * an H1 above H2 sections is the document's title, not a section.
 */
function readSections(tree: Root, text: string, headingOf: HeadingOf): Section[] {
  const headings = tree.children.filter((n): n is Heading => n.type === 'heading');
  const known = headings.filter((h) => headingOf(h).key !== undefined);
  const depth = known.length ? Math.min(...known.map((h) => h.depth)) : 2;
  const sections: Section[] = [];
  let current: Section | undefined;
  for (const node of tree.children) {
    if (node.type === 'heading' && node.depth <= depth) {
      if (current) sections.push(finish(current, text));
      current = undefined;
      if (node.depth < depth) continue; // a title above the sections
      const { text: heading, key } = headingOf(node);
      const range = rangeOf(node)!;
      current = {
        key: key ?? null,
        heading,
        depth: node.depth,
        headingRange: range,
        range: { start: range.start, end: range.end },
        nodes: [],
        text: '',
        todo: true,
      };
      continue;
    }
    if (current) current.nodes.push(node);
  }
  if (current) sections.push(finish(current, text));
  return sections;
}

function finish(section: Section, _text: string): Section {
  const last = section.nodes.at(-1);
  const end = last ? rangeOf(last)?.end : undefined;
  if (end) section.range = { start: section.range.start, end };
  const texts = section.nodes.map((n) => (n.type === 'code' ? n.value : textOf(n)));
  section.text = texts.join('\n\n').trim();
  const prose = texts.filter((_, i) => section.nodes[i]!.type !== 'code' && section.nodes[i]!.type !== 'html');
  const content = section.nodes.filter((n) => n.type !== 'html');
  section.todo = content.length === 0 || (prose.length > 0 && prose.every((t) => TODO_MARKER.test(t)));
  return section;
}

/** A heading's text and the section it names. */
type HeadingOf = (node: Heading) => { text: string; key: SectionKey | undefined };

/** {@link HeadingOf} computed once per node: sections and leading nodes both ask, for every heading. */
function headingReader(): HeadingOf {
  const seen = new Map<Heading, { text: string; key: SectionKey | undefined }>();
  return (node) => {
    let found = seen.get(node);
    if (!found) {
      const text = textOf(node);
      found = { text, key: sectionForHeading(text) };
      seen.set(node, found);
    }
    return found;
  };
}

/** Top-level nodes before the first section heading (the title, an intro). */
function leadingNodes(tree: Root, headingOf: HeadingOf): RootContent[] {
  const out: RootContent[] = [];
  for (const node of tree.children) {
    if (node.type === 'heading' && headingOf(node).key !== undefined) break;
    if (node.type === 'heading' && node.depth <= 2 && out.some((n) => n.type === 'heading')) break;
    out.push(node);
  }
  return out;
}

/** Every code node, also inside lists and block quotes (paragraphs and headings hold only phrasing content). */
function walkCode(nodes: readonly RootContent[], out: Code[] = []): Code[] {
  for (const node of nodes) {
    if (node.type === 'code') out.push(node);
    else if (node.type !== 'paragraph' && node.type !== 'heading' && 'children' in node)
      walkCode(node.children as RootContent[], out);
  }
  return out;
}

function readBlock(
  node: Code,
  section: SectionKey | null,
  text: string,
  lineStarts: number[],
  diagnostics: Diagnostic[],
): Block | undefined {
  const lang = (node.lang ?? '').toLowerCase();
  const isSigma = lang === 'sigma';
  const isQuery = (QUERY_LANGUAGES as readonly string[]).includes(lang);
  const { attributes } = parseInfoAttributes(node.meta);
  const isSample = SAMPLE_LANGUAGES.has(lang) && (section === 'validation' || attributes['expect'] !== undefined);
  if (!isSigma && !isQuery && !isSample) return undefined;

  const range = rangeOf(node)!;
  const fence = /^[ \t]*(`{3,}|~{3,})/.exec(lineText(text, lineStarts, range.start.line));
  if (fence && !isClosed(node, text, fence[1]!)) {
    diagnostics.push(
      diagnostic(
        'block/unterminated-fence',
        'error',
        `Unexpected end of file, expected a closing fence for the ${c(lang)} block opened here`,
        {
          place: {
            start: range.start,
            end: { line: range.start.line, column: range.start.column + fence[0].trimStart().length },
          },
        },
      ),
    );
  }
  const line = range.start.line + 1;
  const source: TextSource = { text: node.value, line, column: range.start.column };
  if (range.start.column === 1) source.offset = lineStarts[line - 1] ?? text.length;
  const base = { source, range, section, attributes };

  if (isSigma) {
    if (node.value.trim() === '') {
      diagnostics.push(
        diagnostic(
          'block/empty-sigma',
          'warning',
          'Unexpected empty `sigma` block (to do), expected a Sigma rule: logsource, detection and condition',
          {
            place: range,
          },
        ),
      );
    }
    return { kind: 'sigma', ...base };
  }
  if (isQuery) {
    if (node.value.trim() === '') {
      diagnostics.push(
        diagnostic('block/empty-query', 'warning', `Unexpected empty ${c(lang)} block, expected a query`, {
          place: range,
        }),
      );
    }
    return { kind: 'query', language: lang as QueryLanguage, ...base };
  }

  const expect = attributes['expect'];
  if (section !== 'validation') {
    diagnostics.push(
      diagnostic(
        'block/sample-outside-validation',
        'warning',
        'Unexpected sample block outside Validation, expected sample events in the Validation section',
        {
          place: range,
        },
      ),
    );
  }
  if (expect !== 'match' && expect !== 'no-match') {
    diagnostics.push(
      diagnostic(
        expect === undefined ? 'block/missing-expect' : 'block/invalid-expect',
        'error',
        expect === undefined
          ? `Unexpected ${c(lang)} block in Validation without \`expect\`, expected \`expect=match\` or \`expect=no-match\` in its info string`
          : `Unexpected expect=${c(expect)}, expected \`match\` or \`no-match\``,
        {
          place: {
            start: range.start,
            end: {
              line: range.start.line,
              column: range.start.column + 3 + lang.length + (node.meta?.length ?? 0) + 1,
            },
          },
          expected: expect === undefined ? [] : ['match', 'no-match'],
        },
      ),
    );
    return undefined;
  }
  const { events, diagnostics: eventDiagnostics } = readSampleEvents(source, lang);
  diagnostics.push(...eventDiagnostics);
  return {
    kind: 'sample',
    expect,
    name: attributes['name'] ?? `${expect} sample at line ${range.start.line}`,
    events,
    ...base,
  };
}

function isClosed(node: Code, text: string, fence: string): boolean {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (start === undefined || end === undefined) return true;
  // The block's last line, trimmed, must be a run of at least as many fence characters.
  const lastBreak = text.lastIndexOf('\n', end - 1);
  if (lastBreak < start) return false;
  const last = text.slice(lastBreak + 1, end).trim();
  if (last.length < fence.length) return false;
  for (let i = 0; i < last.length; i++) if (last[i] !== fence[0]) return false;
  return true;
}

/**
 * The text of a node, as `mdast-util-to-string`'s `toString` gives it with its
 * defaults (HTML and image `alt` included), without an array per node.
 */
export function textOf(value: unknown): string {
  if (value !== null && typeof value === 'object') {
    if ('value' in value) return value.value as string;
    if ('alt' in value && value.alt) return value.alt as string;
    if ('children' in value) return textOfAll(value.children as readonly unknown[]);
  }
  return Array.isArray(value) ? textOfAll(value) : '';
}

function textOfAll(values: readonly unknown[]): string {
  let out = '';
  for (let i = 0; i < values.length; i++) {
    const text: unknown = textOf(values[i]);
    if (text !== undefined && text !== null) out += String(text);
  }
  return out;
}

function rangeOf(node: { position?: { start: Point; end: Point } | undefined }): Range | undefined {
  if (!node.position) return undefined;
  const { start, end } = node.position;
  return {
    start: { line: start.line, column: start.column, offset: start.offset },
    end: { line: end.line, column: end.column, offset: end.offset },
  } as Range;
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineText(text: string, lineStarts: number[], line: number): string {
  const start = lineStarts[line - 1] ?? 0;
  const end = lineStarts[line] ?? text.length;
  return text.slice(start, end);
}
