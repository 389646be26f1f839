/**
 * Cross-file checks, run once over the whole catalog: duplicate ids, duplicate
 * titles, and file names that do not match the title's slug.
 */
import { code, diagnostic, type Diagnostic } from '../diagnostics.ts';
import type { Detection } from '../detection/model.ts';
import { slugify } from '../text/slug.ts';

/** What the catalog rules read of a detection (a worker sends only this). */
export type CatalogEntry = Pick<Detection, 'path' | 'rawFrontmatter' | 'frontmatterLines'> & {
  frontmatter: { title: string } | null;
};

/** Runs every catalog rule. */
export function checkCatalog(detections: readonly CatalogEntry[]): Diagnostic[] {
  return [...duplicates(detections, 'id'), ...duplicates(detections, 'title'), ...fileNames(detections)];
}

function duplicates(detections: readonly CatalogEntry[], key: 'id' | 'title'): Diagnostic[] {
  const seen = new Map<string, CatalogEntry>();
  const out: Diagnostic[] = [];
  for (const detection of detections) {
    const raw = detection.rawFrontmatter?.[key];
    if (typeof raw !== 'string' || raw === '') continue;
    const norm = key === 'title' ? raw.trim().toLowerCase() : raw.toLowerCase();
    const first = seen.get(norm);
    if (!first) {
      seen.set(norm, detection);
      continue;
    }
    out.push(
      diagnostic(
        `catalog/duplicate-${key}`,
        'error',
        `Unexpected duplicate ${key} ${code(raw)}, expected every detection to have its own ${key}`,
        {
          file: detection.path,
          place: { line: frontmatterLine(detection, key), column: 1 },
          related: [
            {
              message: 'first used here',
              file: first.path,
              place: { start: { line: frontmatterLine(first, key), column: 1 } },
            },
          ],
        },
      ),
    );
  }
  return out;
}

function fileNames(detections: readonly CatalogEntry[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const detection of detections) {
    const title = detection.frontmatter?.title;
    if (!title || !detection.path.endsWith('.md')) continue;
    const name = detection.path.split(/[\\/]/).pop()!.replace(/\.md$/, '');
    const slug = slugify(title);
    if (name !== slug) {
      out.push(
        diagnostic(
          'catalog/file-name',
          'warning',
          `Unexpected file name ${code(name + '.md')}, expected ${code(slug + '.md')} (the title's slug)`,
          {
            file: detection.path,
            place: { line: frontmatterLine(detection, 'title'), column: 1 },
            expected: [slug + '.md'],
          },
        ),
      );
    }
  }
  return out;
}

/** Line of a frontmatter key, found from the detection's own positions when possible. */
function frontmatterLine(detection: CatalogEntry, key: string): number {
  return detection.frontmatterLines?.[key] ?? 1;
}
