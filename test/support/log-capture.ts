import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createLogger, type Logger } from '../../src/observability/logger.js';

/**
 * Log lines written during the suites are kept in .tmp/test-logs (one file per test worker), so the scan at the
 * end of the run (global-setup.ts) can prove no secret ever reached a log line.
 */
export const LOG_DIR = join(import.meta.dirname, '..', '..', '.tmp', 'test-logs');

function logFile(): string {
  mkdirSync(LOG_DIR, { recursive: true });
  return join(LOG_DIR, `worker-${process.pid}.log`);
}

/** A logger that records everything (trace and up) to this worker's capture file. */
export function captureLogger(): Logger {
  return pino({ level: 'trace' }, pino.destination({ dest: logFile(), sync: true, append: true, mkdir: true }));
}

/** Adds text from elsewhere (a child process's output) to the capture. */
export function captureText(text: string): void {
  if (text) appendFileSync(logFile(), text.endsWith('\n') ? text : `${text}\n`);
}

/** A real pino logger whose lines are kept in memory, so a test can assert what was logged (and what never was). */
export interface CapturedLog {
  readonly logger: Logger;
  /** Every line so far, parsed. */
  entries(): Array<Record<string, unknown> & { msg?: string; level?: number }>;
  /** Every line so far, as written. */
  text(): string;
  clear(): void;
}

export function captureLog(level = 'debug'): CapturedLog {
  let written = '';
  const destination = new Writable({
    write(chunk, _encoding, done) {
      written += String(chunk);
      // The lines also go to the run-wide capture that the secret scan reads.
      captureText(String(chunk));
      done();
    },
  });
  // pino writes synchronously to a plain stream, so a line is here as soon as the call that logs it returns.
  const logger = createLogger({ level, destination });
  return {
    logger,
    entries: () =>
      written
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    text: () => written,
    clear: () => {
      written = '';
    },
  };
}
