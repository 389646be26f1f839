/**
 * The one Markdown pipeline every consumer uses: the CLI, the bundle and the
 * site parse detections with exactly these plugins.
 */
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import remarkDetection from '../../plugins/remark-detection.ts';

/** remark-parse + frontmatter + GFM + remark-detection, frozen for reuse. */
export function createDetectionProcessor() {
  return unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm).use(remarkDetection).freeze();
}
