/** The guides in src/docs (authoring, engine) as pages, through the same safe renderer as detections. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Root } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { getHighlighter, highlight } from './highlight.ts';
import { nodesToHtml } from './markdown.ts';
import { preloadedCatalog } from './preload.ts';

/** HTML of a Markdown guide file (src/docs), code highlighted; the title is its H1, else `fallback`. */
export async function guideHtml(path: string, fallback: string): Promise<{ title: string; html: string }> {
  const text = readFileSync(resolve(preloadedCatalog()?.root ?? process.cwd(), path), 'utf8');
  const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm);
  const tree = processor.runSync(processor.parse(text)) as Root;
  const hl = await getHighlighter();
  const nodes = tree.children.filter((n) => n.type !== 'yaml');
  const first = nodes[0];
  let title = fallback;
  if (first?.type === 'heading' && first.depth === 1) {
    title = first.children.map((c) => ('value' in c ? c.value : '')).join('') || title;
    nodes.shift();
  }
  const html = nodesToHtml(nodes, (code) => {
    const lang = code.lang === 'markdown' || code.lang === 'md' ? null : code.lang;
    return `<figure class="code"><figcaption><span class="code-label">${code.lang ?? 'text'}</span><button type="button" class="copy" aria-label="Copy example">Copy</button></figcaption>${highlight(hl, code.value, lang)}</figure>`;
  });
  return { title, html };
}
