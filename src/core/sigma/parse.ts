/**
 * Parses a Sigma block or file. This first version checks only that the YAML
 * parses (multi-document) and reports syntax errors at their file positions;
 * the full Sigma parser replaces its body.
 */
import { parseAllDocuments } from 'yaml';
import { diagnostic, type Diagnostic } from '../diagnostics.ts';
import { LineIndex, type TextSource } from '../text/source.ts';
import type { SigmaParseResult } from './model.ts';

/** Parses every YAML document of `source` into Sigma documents, with diagnostics in file positions. */
export function parseSigmaBlock(source: TextSource): SigmaParseResult {
  const index = new LineIndex(source);
  const diagnostics: Diagnostic[] = [];
  for (const doc of parseAllDocuments(source.text, { prettyErrors: false })) {
    for (const error of doc.errors) {
      const [start, end] = error.pos;
      diagnostics.push(
        diagnostic('sigma/invalid-yaml', 'error', `Unexpected YAML: ${error.message.split('\n')[0]}`, {
          place: index.range(start, end),
        }),
      );
    }
  }
  return { documents: [], diagnostics, source };
}
