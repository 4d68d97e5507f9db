import { pino, type Logger } from 'pino';
import { requestLogFields } from './request-context.js';

export type { Logger };

/**
 * The one place loggers are made. Paths that could carry a secret are redacted as a second line of defence:
 * Remembr never puts a password or API key in a log field on purpose. A line written while a request is served
 * carries its `reqId` (see request-context.ts), whichever service writes it.
 */
export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      // The request's own logger (Fastify's child) binds reqId already; the mixin must not write it twice.
      mixin: (_object, _level, logger) => ('reqId' in logger.bindings() ? {} : requestLogFields()),
      redact: {
        paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'headers.authorization', 'headers["x-api-key"]', 'password', '*.password', 'apiKey', '*.apiKey'],
        censor: '[redacted]',
      },
    },
    options.destination as pino.DestinationStream | undefined,
  );
}

/** A logger that writes nothing, for library users who pass none. */
export const silentLogger: Logger = pino({ level: 'silent' });
