/** Where a detection's page lives on the site; shared by the site and the bundle. */
import type { Detection } from '../detection/model.ts';
import { slugify } from '../text/slug.ts';

/** The page slug: `<platform>/<title slug>` (`windows/encoded-powershell-command-line`). */
export function pageSlug(detection: Detection): string {
  const platform = detection.frontmatter?.platform ?? platformFromPath(detection.path) ?? 'other';
  return `${slugify(platform)}/${slugify(detection.frontmatter?.title ?? detection.title)}`;
}

function platformFromPath(path: string): string | undefined {
  const parts = path.split(/[\\/]/);
  return parts.length >= 2 ? parts[parts.length - 2] : undefined;
}

/** The site-relative path of a detection's page (`/detections/windows/encoded-powershell-command-line/`). */
export function pagePath(detection: Detection): string {
  return `/detections/${pageSlug(detection)}/`;
}
