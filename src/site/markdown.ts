/**
 * Section mdast -> safe HTML. The site renders the nodes the one parse already
 * made (no second Markdown pipeline). Raw HTML in a detection is dropped, and
 * the result is sanitized (GitHub's schema): no script, no event handlers, no
 * `javascript:` URLs. Fenced code is handed to a renderer (Shiki), whose
 * output is trusted because it escapes the code.
 */
import type { Element, ElementContent, Root as HastRoot, RootContent as HastContent } from 'hast';
import { sanitize, defaultSchema } from 'hast-util-sanitize';
import { toHtml } from 'hast-util-to-html';
import type { Blockquote, Code, Root, RootContent } from 'mdast';
import { toHast } from 'mdast-util-to-hast';

/** Renders a fenced code node to trusted HTML. */
export type CodeRenderer = (node: Code) => string;

const schema = {
  ...defaultSchema,
  // Heading ids would clash with the page's own; links keep only safe protocols.
  clobberPrefix: 'user-content-',
  protocols: { ...defaultSchema.protocols, href: ['http', 'https', 'mailto'] },
};

function walk(node: HastRoot | Element, fn: (el: Element, parent: HastRoot | Element, index: number) => void): void {
  node.children.forEach((child, i) => {
    if (child.type === 'element') {
      fn(child, node, i);
      walk(child, fn);
    }
  });
}

/** HTML of a list of mdast nodes (one section's content). */
export function nodesToHtml(nodes: readonly RootContent[], renderCode: CodeRenderer): string {
  return sectionsToHtml([nodes], renderCode)[0]!;
}

/**
 * HTML of each section of a document, from one mdast -> hast pass over the
 * whole document (link definitions apply across sections, as in Markdown,
 * and the pass's setup is paid once per document, not once per section).
 * Footnotes, if any, end the last section.
 */
export function sectionsToHtml(sections: readonly (readonly RootContent[])[], renderCode: CodeRenderer): string[] {
  const root: Root = {
    type: 'root',
    children: sections.map((nodes) => ({
      type: 'blockquote',
      children: nodes as Blockquote['children'],
      data: { hName: 'div' },
    })),
  };
  const codes: Code[] = [];
  const hast = toHast(root, {
    allowDangerousHtml: false,
    handlers: {
      code(_state, node: Code): Element {
        codes.push(node);
        return { type: 'element', tagName: 'pre', properties: {}, children: [] };
      },
    },
  }) as HastRoot;
  const wrappers = hast.children.filter((c): c is Element => c.type === 'element' && c.tagName === 'div');
  // Anything after the sections (the footnotes) goes with the last one.
  const footer = hast.children.slice(hast.children.indexOf(wrappers[wrappers.length - 1]!) + 1);
  let n = 0;
  return wrappers.map((wrapper, i) => {
    // The wrapper's own line breaks, so a section renders as its nodes alone would.
    const inner = wrapper.children.slice(
      wrapper.children[0]?.type === 'text' && wrapper.children[0].value === '\n' ? 1 : 0,
      wrapper.children.at(-1)?.type === 'text' && (wrapper.children.at(-1) as { value: string }).value === '\n'
        ? -1
        : undefined,
    );
    const section: HastRoot = {
      type: 'root',
      children: i === wrappers.length - 1 ? [...inner, ...footer] : inner,
    };
    const clean = sanitize(section, schema) as HastRoot;
    const replace: { parent: HastRoot | Element; index: number; html: string }[] = [];
    walk(clean, (el, parent, index) => {
      if (el.tagName === 'pre' && el.children.length === 0 && n < codes.length)
        replace.push({ parent, index, html: renderCode(codes[n++]!) });
    });
    for (const r of replace) {
      (r.parent.children as (HastContent | ElementContent)[])[r.index] = { type: 'raw', value: r.html } as never;
    }
    // External links open normally; mark them so CSS can show it.
    walk(clean, (el) => {
      if (el.tagName === 'a' && typeof el.properties['href'] === 'string' && /^https?:/.test(el.properties['href'])) {
        el.properties['rel'] = ['noopener', 'noreferrer'];
      }
    });
    return toHtml(clean, { allowDangerousHtml: true });
  });
}

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
