import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/observability/logger.js';

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
