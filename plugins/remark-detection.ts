/**
 * remark-detection: a thin unified plugin. It hands the tree to `src/core`,
 * puts the resulting Detection on `file.data.detection`, and reports every
 * diagnostic as a VFileMessage (ruleId, source, fatal, place, expected, cause).
 */
import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import type { Diagnostic } from '../src/core/diagnostics.ts';
import { buildDetection } from '../src/core/detection/index.ts';
import type { Detection } from '../src/core/detection/model.ts';

declare module 'vfile' {
  interface DataMap {
    /** The detection extracted by remark-detection. */
    detection: Detection;
  }
}

/** Source name on every message this plugin reports. */
export const MESSAGE_SOURCE = 'loom';

/** The plugin: attach with `unified().use(remarkParse).use(remarkFrontmatter).use(remarkGfm).use(remarkDetection)`. */
export default function remarkDetection() {
  return function transform(tree: Root, file: VFile): void {
    const detection = buildDetection(tree, { path: file.path ?? 'input.md', text: String(file.value) });
    file.data.detection = detection;
    for (const d of detection.diagnostics) reportDiagnostic(file, d);
  };
}

/** Adds one Diagnostic to a file as a VFileMessage, one field to one field. */
export function reportDiagnostic(file: VFile, d: Diagnostic): void {
  const message = file.message(d.message, {
    place: d.place ? { start: d.place.start, end: d.place.end ?? d.place.start } : undefined,
    ruleId: d.ruleId,
    source: MESSAGE_SOURCE,
    cause: d.related?.[0]
      ? new Error(
          `${d.related[0].message}${d.related[0].place ? ` at ${d.related[0].place.start.line}:${d.related[0].place.start.column}` : ''}`,
        )
      : undefined,
  });
  message.fatal = d.severity === 'error' ? true : d.severity === 'warning' ? false : undefined;
  if (d.expected) message.expected = d.expected;
  if (d.url) message.url = d.url;
}
