import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Logger } from '../../src/index.js';

/**
 * Log lines written during the suites are kept in .tmp/test-logs (one file per test worker), at trace level, so the
 * scan at the end of the run can prove no secret ever reached a log line.
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
