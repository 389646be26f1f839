/** A worker thread of {@link highlightAll}: highlights its share of the blocks and posts the HTML back. */
import { parentPort, workerData } from 'node:worker_threads';
import { highlightHere, type HighlightJob } from './highlight-pool.ts';

const job = workerData as HighlightJob;
parentPort!.postMessage(await highlightHere(job.requests));
