/**
 * The hand-over from `loom build` to the pages. The CLI parses the catalog
 * once and runs each detection's samples once; Astro then renders the pages
 * from a bundle of its own (Vite's module graph does not share module
 * instances with the CLI), so the parsed catalog travels through a
 * `globalThis` slot, which both sides share. Without it (`astro build`,
 * `astro dev`), src/site/catalog.ts loads the catalog itself.
 */
import type { Catalog } from '../catalog/load.ts';
import type { Detection } from '../core/detection/model.ts';
import type { DetectionTestResult } from '../core/sigma/evaluate/run-tests.ts';
import type { SiteConfig } from './config.ts';

/** What the pages receive from the build. */
export interface PreloadedCatalog {
  /** The folder the catalog's relative paths are resolved against. */
  cwd: string;
  /** The Loom package (src/docs lives there); the build runs Astro from a folder of its own. */
  root: string;
  config: SiteConfig;
  catalog: Catalog;
  /** The sample results of a detection, computed once and shared with the bundle. */
  tests: (detection: Detection) => DetectionTestResult | undefined;
  /**
   * Every block highlighted beforehand, by `highlightKey` (src/site/highlight-pool.ts);
   * a promise while worker threads still highlight (Astro compiles the pages meanwhile).
   */
  highlighted?: ReadonlyMap<string, string> | Promise<ReadonlyMap<string, string>>;
  /** The merged Sigma YAML of a detection (null: none), computed once for highlighting and the page. */
  mergedYaml?: (detection: Detection) => string | null | undefined;
  /**
   * Called with each page as Astro renders it (src/middleware.ts): the build
   * hands it to Pagefind, which indexes it in its own process meanwhile.
   */
  onPage?: (pathname: string, html: string) => void;
}

const SLOT = Symbol.for('loom.site.preloadedCatalog');

/** Hands a parsed catalog to the pages (undefined clears it). */
export function preloadCatalog(value: PreloadedCatalog | undefined): void {
  (globalThis as Record<symbol, unknown>)[SLOT] = value;
}

/** The catalog `loom build` handed over, if any. */
export function preloadedCatalog(): PreloadedCatalog | undefined {
  return (globalThis as Record<symbol, unknown>)[SLOT] as PreloadedCatalog | undefined;
}
