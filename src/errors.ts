/**
 * The few errors Remembr throws on purpose. Everything else that reaches a caller is a bug.
 * The HTTP shell maps each class to one status and error code (src/http/errors.ts).
 */

/** A value from outside (an id, a TTL, a pattern, a body field) that Remembr refuses. */
export class ValidationError extends Error {
  override name = 'ValidationError';
  constructor(
    message: string,
    /** Which input was wrong, e.g. `session_id` or `ttlSeconds`. */
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The store could not answer (Redis down, timed out, out of memory), so the operation did nothing. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** `getRedisClient()` or a service was used before `initRedis()` (or after `closeRedis()`). */
export class NotInitializedError extends Error {
  override name = 'NotInitializedError';
  constructor() {
    super('Redis is not initialized: call initRedis() first');
  }
}

/** The operation cannot fit: a message larger than the whole token budget, a window held full by system messages. */
export class CapacityError extends Error {
  override name = 'CapacityError';
  constructor(message: string, readonly field?: string) {
    super(message);
  }
}

/**
 * The operation does not fit the current state, and retrying it unchanged will not help: a message appended while
 * an assistant message's tool calls wait for their results, a summary written over messages that moved on.
 */
export class ConflictError extends Error {
  override name = 'ConflictError';
  constructor(message: string, readonly field?: string) {
    super(message);
  }
}

/** Configuration from the environment that Remembr cannot start with; the message names each bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
