/**
 * Astro middleware: during `loom build`, hands each rendered page to the
 * build (see src/site/preload.ts), which feeds it to Pagefind while Astro
 * renders the next pages. Without `loom build` it does nothing.
 */
import { preloadedCatalog } from './site/preload.ts';

export async function onRequest(context: { url: URL }, next: () => Promise<Response>): Promise<Response> {
  const response = await next();
  const onPage = preloadedCatalog()?.onPage;
  if (!onPage || !(response.headers.get('content-type') ?? '').includes('text/html')) return response;
  const html = await response.text();
  onPage(context.url.pathname, html);
  return new Response(html, { status: response.status, statusText: response.statusText, headers: response.headers });
}
