/**
 * Highlights many blocks at once, each distinct block once, spread over
 * worker threads (Shiki is CPU-bound and synchronous). `loom build` starts it
 * right after the parse, lets it run while the bundle is written, and hands
 * the HTML to the pages.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { getHighlighter, highlight, highlightKey, shikiLanguage } from './highlight.ts';

/** One block to highlight. */
export interface HighlightRequest {
  code: string;
  lang: string | null | undefined;
}

/** What a worker is given and gives back. */
export interface HighlightJob {
  requests: HighlightRequest[];
}

/** Below this many distinct blocks, starting workers costs more than it saves. */
const MIN_PER_WORKER = 400;

/** Highlights `requests` in this thread (also the worker's body). */
export async function highlightHere(requests: readonly HighlightRequest[]): Promise<string[]> {
  const langs = [...new Set(requests.map((r) => shikiLanguage(r.lang)).filter((l): l is string => !!l))];
  const hl = await getHighlighter(langs);
  try {
    return requests.map((r) => highlight(hl, r.code, r.lang));
  } finally {
    hl.dispose();
  }
}

function runWorker(job: HighlightJob): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./highlight-worker.ts', import.meta.url), { workerData: job });
    let result: string[] | undefined;
    worker.once('message', (html: string[]) => (result = html));
    worker.once('error', reject);
    worker.once('exit', (code) =>
      result && code === 0 ? resolve(result) : reject(new Error(`highlight worker exited with code ${code}`)),
    );
  });
}

/**
 * Highlighted HTML of every distinct block, by {@link highlightKey}. Uses up
 * to `threads` workers (default: the machine's cores), each with at least
 * `minPerWorker` blocks; fewer blocks are highlighted in this thread.
 */
export async function highlightAll(
  requests: Iterable<HighlightRequest>,
  { threads = availableParallelism(), minPerWorker = MIN_PER_WORKER } = {},
): Promise<{ html: Map<string, string>; distinct: number; threads: number }> {
  const unique = new Map<string, HighlightRequest>();
  for (const r of requests) {
    const key = highlightKey(r.code, r.lang);
    if (!unique.has(key)) unique.set(key, r);
  }
  const keys = [...unique.keys()];
  const all = [...unique.values()];
  const n = Math.max(1, Math.min(threads, Math.floor(all.length / minPerWorker)));
  let parts: string[][];
  if (n === 1) parts = [await highlightHere(all)];
  else {
    // Interleaved, so each worker gets a similar mix of languages and sizes.
    const jobs: HighlightRequest[][] = Array.from({ length: n }, () => []);
    all.forEach((r, i) => jobs[i % n]!.push(r));
    parts = await Promise.all(jobs.map((job) => runWorker({ requests: job })));
  }
  const html = new Map<string, string>();
  parts.forEach((part, w) => part.forEach((h, j) => html.set(keys[j * n + w]!, h)));
  return { html, distinct: keys.length, threads: n };
}
