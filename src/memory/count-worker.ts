/**
 * The token-counting worker: counts long texts off the main thread, so a burst of large messages delays only the
 * appends that carry them, never /health or any other request. See tokens.ts for the pool that runs it.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { loadEncoder, type TokenEncoding } from './tokens.js';

export interface CountJob {
  id: number;
  /** Counted in all: the parts of one message. */
  texts: readonly string[];
  encoding: TokenEncoding;
}
export type CountAnswer = { id: number; count: number } | { id: number; error: string };

const port = parentPort;
if (port === null) throw new Error('count-worker.ts runs as a worker thread');

// Counting is background work next to the event loop that answers every request: on Linux this thread (not the
// process) runs at nice 10, so when both want a core the main thread gets about nine tenths of it and /health
// stays quick while ten clients send 32 KiB worst-case messages. Elsewhere, or where it is refused, it runs as is.
try {
  const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
  if (Number.isSafeInteger(threadId) && threadId > 0) setPriority(threadId, 10);
} catch {
  // Not Linux, or no /proc: same priority as the main thread.
}

// Ready once the encoding the pool started it for is loaded: it is handed no count before that.
void loadEncoder((workerData as { encoding: TokenEncoding }).encoding).finally(() => port.postMessage('ready'));

port.on('message', (job: CountJob) => {
  loadEncoder(job.encoding).then(
    (encoder) => {
      let count = 0;
      for (const text of job.texts) count += encoder.count(text);
      port.postMessage({ id: job.id, count } satisfies CountAnswer);
    },
    (err: unknown) => port.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) } satisfies CountAnswer),
  );
});
