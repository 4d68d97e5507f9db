import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * The one place loggers are made. Paths that could carry a secret are redacted as a second line of defence:
 * Remembr never puts a password or API key in a log field on purpose.
 */
export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
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
