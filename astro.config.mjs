// @ts-check
import { defineConfig } from 'astro/config';

// The site renders detections from the one parse (src/site/catalog.ts), not
// through Astro's Markdown pipeline. LOOM_DETECTIONS picks the catalog,
// LOOM_SITE_URL the public URL, LOOM_BASE a sub-path (e.g. GitHub Pages), LOOM_OUT the
// output folder (default dist: dist/site and dist/bundle).
export default defineConfig({
  site: process.env.LOOM_SITE_URL || undefined,
  base: process.env.LOOM_BASE || '/',
  trailingSlash: 'always',
  build: { format: 'directory' },
  outDir: `${process.env.LOOM_OUT || 'dist'}/site`,
  devToolbar: { enabled: false },
});
