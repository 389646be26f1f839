/**
 * One function from a parsed Markdown tree to a checked Detection, without
 * loading zod: a document whose frontmatter needs the schema throws
 * FrontmatterSchemaMissing unless frontmatter.ts was imported. Use index.ts,
 * which imports it; \`loom check\` uses this module to load zod only when needed.
 */
import type { Root } from 'mdast';
import { compareDiagnostics } from '../diagnostics.ts';
import { extractDetection, type ExtractInput } from './extract.ts';
import type { Detection } from './model.ts';
import { checkDocument } from './rules/index.ts';

/** Extracts a Detection from its mdast and runs every document rule over it. */
export function buildDetection(tree: Root, input: ExtractInput): Detection {
  const detection = extractDetection(tree, input);
  detection.diagnostics.push(...checkDocument(detection));
  detection.diagnostics.sort(compareDiagnostics);
  return detection;
}
