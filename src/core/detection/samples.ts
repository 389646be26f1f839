/**
 * Reads sample events from a block: one JSON object, a JSON array of objects,
 * or NDJSON (one object per line). Every event keeps its range for test reports.
 */
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { diagnostic, type Diagnostic } from '../diagnostics.ts';
import { LineIndex, type TextSource } from '../text/source.ts';
import type { SampleEvent } from './model.ts';

const STRICT = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false };

/** Parses the events of a sample block. */
export function readSampleEvents(
  source: TextSource,
  language: string,
): { events: SampleEvent[]; diagnostics: Diagnostic[] } {
  const index = new LineIndex(source);
  const text = source.text;
  if (text.trim() === '') {
    return {
      events: [],
      diagnostics: [
        diagnostic('block/empty-sample', 'error', 'Unexpected empty sample block, expected a JSON event', {
          place: index.point(0),
        }),
      ],
    };
  }
  const ndjson = language === 'ndjson' || language === 'jsonl';
  if (!ndjson) {
    const single = readSingleObject(text);
    if (single)
      return { events: [{ value: single.value, range: index.range(single.start, single.end) }], diagnostics: [] };
    const errors: ParseError[] = [];
    const tree = parseTree(text, errors, STRICT);
    if (errors.length === 0 && tree) return fromTree(tree, text, index, 0);
    // Several top-level objects on their own lines: NDJSON written in a json block.
    if (!looksLikeNdjson(text))
      return { events: [], diagnostics: errors.slice(0, 1).map((e) => jsonError(e, index, 0)) };
  }
  const events: SampleEvent[] = [];
  const diagnostics: Diagnostic[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    if (line.trim() !== '') {
      const errors: ParseError[] = [];
      const tree = parseTree(line, errors, STRICT);
      if (errors.length > 0 || !tree)
        diagnostics.push(
          jsonError(errors[0] ?? ({ error: 1, offset: 0, length: line.length } as ParseError), index, offset),
        );
      else {
        const result = fromTree(tree, text, index, offset);
        events.push(...result.events);
        diagnostics.push(...result.diagnostics);
      }
    }
    offset += line.length + 1;
  }
  return { events, diagnostics };
}

/**
 * The common sample, one JSON object, read with `JSON.parse` and no syntax
 * tree; `undefined` for anything else. Its offsets are those `parseTree` gives.
 */
export function readSingleObject(
  text: string,
): { value: Record<string, unknown>; start: number; end: number } | undefined {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}') + 1;
  if (start === -1 || !/^[ \t\n\r]*$/.test(text.slice(0, start)) || !/^[ \t\n\r]*$/.test(text.slice(end)))
    return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return { value: value as Record<string, unknown>, start, end };
}

function looksLikeNdjson(text: string): boolean {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return lines.length > 1 && lines.every((l) => l.trimStart().startsWith('{'));
}

function fromTree(
  tree: Node,
  text: string,
  index: LineIndex,
  base: number,
): { events: SampleEvent[]; diagnostics: Diagnostic[] } {
  const events: SampleEvent[] = [];
  const diagnostics: Diagnostic[] = [];
  const nodes = tree.type === 'array' ? (tree.children ?? []) : [tree];
  for (const node of nodes) {
    const range = index.range(base + node.offset, base + node.offset + node.length);
    if (node.type !== 'object') {
      diagnostics.push(
        diagnostic(
          'block/invalid-sample',
          'error',
          `Unexpected JSON ${node.type}, expected an event object (\`{…}\`)`,
          {
            place: range,
          },
        ),
      );
      continue;
    }
    const value = JSON.parse(text.slice(base + node.offset, base + node.offset + node.length)) as Record<
      string,
      unknown
    >;
    events.push({ value, range });
  }
  if (tree.type === 'array' && nodes.length === 0) {
    diagnostics.push(
      diagnostic('block/empty-sample', 'error', 'Unexpected empty array, expected at least one event object', {
        place: index.range(base + tree.offset, base + tree.offset + tree.length),
      }),
    );
  }
  return { events, diagnostics };
}

function jsonError(error: ParseError, index: LineIndex, base: number): Diagnostic {
  const what = printParseErrorCode(error.error)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return diagnostic(
    'block/invalid-json',
    'error',
    `Unexpected JSON (${what}), expected a JSON event, a JSON array or NDJSON`,
    {
      place: index.range(base + error.offset, base + error.offset + Math.max(error.length, 1)),
    },
  );
}
