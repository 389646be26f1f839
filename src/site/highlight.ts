/**
 * Shiki highlighting with light and dark themes (CSS variables, switched by
 * prefers-color-scheme). Each distinct (language, code) pair is highlighted
 * once per build: thousands of detections share a lot of blocks.
 */
import { createHighlighter, type Highlighter } from 'shiki';
import { flatTokenVariants } from 'shiki/core';
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

/**
 * Both themes from one tokenization. Shiki tokenizes a dual-theme block once
 * per theme; but github-light and github-dark style the same scopes in the
 * same order, so a theme whose rule i carries a code for the pair (light
 * rule i, dark rule i) picks, for every token, the rule both themes would
 * pick. One tokenization with it gives each token's light and dark style, and
 * the HTML is then exactly the dual-theme HTML (the tests compare the two).
 */
interface PairTheme {
  name: string;
  /** Code colour -> the light and dark colours. */
  pairs: Map<string, { light: string; dark: string }>;
  /** The dual-theme `<pre>` class and style. */
  pre: { class: string; style: string };
}
const pairThemes = new WeakMap<Highlighter, PairTheme | null>();
let onePass = 0;

function pairTheme(hl: Highlighter): PairTheme | undefined {
  const known = pairThemes.get(hl);
  if (known !== undefined) return known ?? undefined;
  const light = hl.getTheme(THEMES.light);
  const dark = hl.getTheme(THEMES.dark);
  const parallel =
    light.settings.length === dark.settings.length &&
    light.settings.every((l, i) => {
      const d = dark.settings[i]!;
      return JSON.stringify(l.scope) === JSON.stringify(d.scope) && l.settings.fontStyle === d.settings.fontStyle;
    });
  if (!parallel) {
    pairThemes.set(hl, null);
    return undefined;
  }
  const pairs = new Map<string, { light: string; dark: string }>();
  const codes = new Map<string, string>();
  const code = (l: string | undefined, d: string | undefined): string | undefined => {
    if (!l && !d) return undefined;
    const key = `${l ?? ''}|${d ?? ''}`;
    let c = codes.get(key);
    if (!c) {
      c = `#${(codes.size + 1).toString(16).padStart(6, '0')}`;
      codes.set(key, c);
      pairs.set(c.toUpperCase(), { light: (l ?? light.fg).toUpperCase(), dark: (d ?? dark.fg).toUpperCase() });
    }
    return c;
  };
  const name = 'loom-github-light-dark';
  hl.loadThemeSync({
    name,
    type: 'light',
    fg: code(light.fg, dark.fg)!,
    bg: light.bg,
    settings: light.settings.map((l, i) => {
      const foreground = code(l.settings.foreground, dark.settings[i]!.settings.foreground);
      return { ...l, settings: { ...l.settings, ...(foreground ? { foreground } : {}) } };
    }),
  });
  const root = hl.codeToHast('', { lang: 'text', themes: THEMES, defaultColor: 'light' });
  const props = (root.children[0] as { properties: Record<string, unknown> }).properties;
  const theme: PairTheme = {
    name,
    pairs,
    pre: { class: [props['class']].flat().join(' '), style: String(props['style']) },
  };
  pairThemes.set(hl, theme);
  return theme;
}

/** A block's dual-theme HTML from one tokenization (see {@link PairTheme}). */
function highlightOnce(hl: Highlighter, theme: PairTheme, code: string, lang: string): string | undefined {
  let unknown = false;
  const html = hl.codeToHtml(code, {
    lang,
    theme: theme.name,
    transformers: [
      {
        tokens(lines) {
          return lines.map((line) =>
            line.map((token) => {
              const pair = token.color ? theme.pairs.get(token.color.toUpperCase()) : undefined;
              if (!pair) unknown = true;
              const variant = (color: string | undefined) => ({
                ...(color ? { color } : {}),
                ...(token.fontStyle ? { fontStyle: token.fontStyle } : {}),
              });
              return flatTokenVariants(
                {
                  content: token.content,
                  offset: token.offset,
                  variants: { light: variant(pair?.light), dark: variant(pair?.dark) },
                },
                ['light', 'dark'],
                '--shiki-',
                'light',
              );
            }),
          );
        },
        pre(node) {
          node.properties['class'] = theme.pre.class;
          node.properties['style'] = theme.pre.style;
        },
      },
    ],
  });
  if (unknown) return undefined;
  onePass++;
  return html;
}

/** Highlighted `<pre>` HTML of a code block; plain escaped text for unknown languages. */
export function highlight(hl: Highlighter, code: string, lang: string | null | undefined): string {
  const shikiLang = shikiLanguage(lang);
  const key = highlightKey(code, lang);
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const pair = shikiLang ? pairTheme(hl) : undefined;
  const html = shikiLang
    ? ((pair ? highlightOnce(hl, pair, code, shikiLang) : undefined) ??
      hl.codeToHtml(code, { lang: shikiLang, themes: THEMES, defaultColor: 'light' }))
    : `<pre class="shiki plain"><code>${escapeHtml(code)}</code></pre>`;
  cache.set(key, html);
  return html;
}

/** How many distinct blocks were highlighted, and how many of them in one pass for both themes. */
export function highlightStats(): { blocks: number; onePass: number } {
  return { blocks: cache.size, onePass };
}
