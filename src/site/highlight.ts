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

const GRAMMARS: Record<string, string | typeof eqlGrammar> = { eql: eqlGrammar, esql: esqlGrammar };

let highlighter: Promise<Highlighter> | undefined;
const cache = new Map<string, string>();

/** The Shiki language of a block language; undefined when Shiki has none (plain text). */
export function shikiLanguage(lang: string | null | undefined): string | undefined {
  return LANGS[(lang ?? '').toLowerCase()];
}

/** The cache key of a block: blocks with the same key get the same HTML. */
export function highlightKey(code: string, lang: string | null | undefined): string {
  return `${shikiLanguage(lang) ?? ''}\u0000${code}`;
}

/**
 * The shared highlighter (created once), with every block language; or, with
 * `langs`, a highlighter of its own with only those Shiki languages loaded.
 */
export function getHighlighter(langs?: readonly string[]): Promise<Highlighter> {
  const load = (names: readonly string[]) =>
    createHighlighter({
      themes: ['github-light', 'github-dark'],
      langs: [...new Set(names)].map((l) => GRAMMARS[l] ?? l),
    });
  if (langs) return load(langs);
  highlighter ??= load([...new Set(Object.values(LANGS))]);
  return highlighter;
}

/**
 * HTML highlighted beforehand (`loom build` highlights every block in worker
 * threads, each distinct block once); consulted before highlighting.
 */
export function useHighlighted(html: ReadonlyMap<string, string>): void {
  for (const [key, value] of html) cache.set(key, value);
}

const THEMES = { light: 'github-light', dark: 'github-dark' } as const;

/** Highlighted `<pre>` HTML of a code block; plain escaped text for unknown languages. */
export function highlight(hl: Highlighter, code: string, lang: string | null | undefined): string {
  const shikiLang = shikiLanguage(lang);
  const key = highlightKey(code, lang);
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const html = shikiLang
    ? hl.codeToHtml(code, { lang: shikiLang, themes: THEMES, defaultColor: 'light' })
    : `<pre class="shiki plain"><code>${escapeHtml(code)}</code></pre>`;
  cache.set(key, html);
  return html;
}

/** How many distinct blocks were highlighted (for the build's summary). */
export function highlightedCount(): number {
  return cache.size;
}
