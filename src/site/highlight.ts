/**
 * Shiki highlighting with light and dark themes (CSS variables, switched by
 * prefers-color-scheme). Each distinct (language, code) pair is highlighted
 * once per build: thousands of detections share a lot of blocks.
 */
import { createHighlighter, type Highlighter } from 'shiki';
import { eqlGrammar, esqlGrammar } from './grammars.ts';
import { escapeHtml } from './markdown.ts';

/** Loom block languages -> Shiki languages. */
const LANGS: Record<string, string> = {
  sigma: 'yaml',
  yaml: 'yaml',
  yml: 'yaml',
  json: 'json',
  spl: 'splunk',
  kql: 'kusto',
  sql: 'sql',
  eql: 'eql',
  esql: 'esql',
  sh: 'shellscript',
  bash: 'shellscript',
  shell: 'shellscript',
  powershell: 'powershell',
  ps1: 'powershell',
};

let highlighter: Promise<Highlighter> | undefined;
const cache = new Map<string, string>();

/** The shared highlighter (created once). */
export function getHighlighter(): Promise<Highlighter> {
  highlighter ??= createHighlighter({
    themes: ['github-light', 'github-dark'],
    langs: ['yaml', 'json', 'splunk', 'kusto', 'sql', 'shellscript', 'powershell', eqlGrammar, esqlGrammar],
  });
  return highlighter;
}

/** Highlighted `<pre>` HTML of a code block; plain escaped text for unknown languages. */
export function highlight(hl: Highlighter, code: string, lang: string | null | undefined): string {
  const shikiLang = LANGS[(lang ?? '').toLowerCase()];
  const key = `${shikiLang ?? ''}\u0000${code}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const html = shikiLang
    ? hl.codeToHtml(code, {
        lang: shikiLang,
        themes: { light: 'github-light', dark: 'github-dark' },
        defaultColor: 'light',
      })
    : `<pre class="shiki plain"><code>${escapeHtml(code)}</code></pre>`;
  cache.set(key, html);
  return html;
}

/** How many distinct blocks were highlighted (for the build's summary). */
export function highlightedCount(): number {
  return cache.size;
}
