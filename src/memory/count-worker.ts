/**
 * The token-counting worker: counts long texts off the main thread, so a burst of large messages delays only the
 * appends that carry them, never /health or any other request. See tokens.ts for the pool that runs it.
 */
import { parentPort } from 'node:worker_threads';
import { loadEncoder, type TokenEncoding } from './tokens.js';

export interface CountJob {
  id: number;
  text: string;
  encoding: TokenEncoding;
}
export type CountAnswer = { id: number; count: number } | { id: number; error: string };

const port = parentPort;
if (port === null) throw new Error('count-worker.ts runs as a worker thread');
port.on('message', (job: CountJob) => {
  loadEncoder(job.encoding).then(
    (encoder) => port.postMessage({ id: job.id, count: encoder.count(job.text) } satisfies CountAnswer),
    (err: unknown) => port.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) } satisfies CountAnswer),
  );
});
