/**
 * The Detection model: one detection document, parsed. The CLI, the bundle
 * and the site all read these objects, made by the same code from the same parse.
 */
import type { RootContent } from 'mdast';
import type { Diagnostic, Range } from '../diagnostics.ts';
import type { SigmaDocument } from '../sigma/model.ts';
import type { TextSource } from '../text/source.ts';
import type { Frontmatter } from './frontmatter.ts';
import type { SectionKey } from './sections.ts';

/** A parsed detection document. */
export interface Detection {
  /** Path of the file as given (relative to where loom runs). */
  path: string;
  /** Validated frontmatter, or null when missing or invalid (see diagnostics). */
  frontmatter: Frontmatter | null;
  /** Frontmatter as written, even when invalid, so other checks can still read the title or id. */
  rawFrontmatter: Record<string, unknown> | null;
  /** File line of each top-level frontmatter key, for diagnostics that point at one. */
  frontmatterLines: Record<string, number>;
  /** The document title: frontmatter title, else the first H1, else the file name. */
  title: string;
  /** ADS sections in document order (unknown headings too, with `key` null). */
  sections: Section[];
  /** Fenced blocks Loom understands, in document order. */
  blocks: Block[];
  /** Sigma documents parsed from all sigma blocks, in order. */
  sigma: SigmaDocument[];
  /** Everything found wrong with this document. */
  diagnostics: Diagnostic[];
}

/** A section of the document: a top-level heading and what follows it. */
export interface Section {
  /** Which ADS section this is; null for a heading that names none. */
  key: SectionKey | null;
  /** Heading text as written. */
  heading: string;
  /** Heading depth (1 or 2 for ADS sections). */
  depth: number;
  /** Range of the heading. */
  headingRange: Range;
  /** Range from the heading to the end of the section's content. */
  range: Range;
  /** The section's mdast nodes after the heading (plain data; the site renders them). */
  nodes: RootContent[];
  /** Plain text of the content, for search, the bundle and merged Sigma fields. */
  text: string;
  /** True when the content is empty or only a to-do marker. */
  todo: boolean;
}

/** SIEM query languages a query block may hold. */
export const QUERY_LANGUAGES = ['spl', 'kql', 'esql', 'eql', 'lucene', 'sql'] as const;
/** One of the query languages. */
export type QueryLanguage = (typeof QUERY_LANGUAGES)[number];

/** Fields every block has. */
interface BlockBase {
  /** The block's content and where it sits in the file. */
  source: TextSource;
  /** Range of the whole fenced block, fences included. */
  range: Range;
  /** Section the block stands in, or null before the first section. */
  section: SectionKey | null;
  /** Attributes of the info string (`name="…"`, `expect=match`). */
  attributes: Record<string, string>;
}

/** A fenced `sigma` block. */
export interface SigmaBlock extends BlockBase {
  kind: 'sigma';
}

/** A hand-written SIEM query. */
export interface QueryBlock extends BlockBase {
  kind: 'query';
  language: QueryLanguage;
}

/** What a sample block expects of the detection's rules. */
export type Expectation = 'match' | 'no-match';

/** A sample-event block in Validation: a unit test. */
export interface SampleBlock extends BlockBase {
  kind: 'sample';
  expect: Expectation;
  /** Name from the info string, else a generated one (`sample 2`). */
  name: string;
  /** Events parsed from JSON, a JSON array or NDJSON; an unparsable block has none. */
  events: SampleEvent[];
}

/** One event of a sample block. */
export interface SampleEvent {
  value: Record<string, unknown>;
  range: Range;
}

/** A block Loom understands. */
export type Block = SigmaBlock | QueryBlock | SampleBlock;
