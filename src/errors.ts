import type { RateLimitDecision } from './rate-limit/rate-limiter.js';

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

/**
 * The store gave no answer to a call. Never thrown itself: a failure is one of its two subclasses, which tell a
 * caller what it may do next.
 * - StoreUnavailableError: the call never took effect (Redis was not reachable, or refused it before running
 *   it). Retrying is always safe.
 * - OutcomeUnknownError: the call was sent and no answer came in time (or the connection died under it). It may
 *   have been applied, now or later. Retry a write only with the same idempotency key.
 *
 * Code that only degrades (a cache that answers "miss", a limiter that fails open, health) catches this base
 * class, so it degrades on both; code that must not apply a write twice tells the two apart.
 */
export abstract class StoreError extends Error {
  /** `false`: nothing was applied. `'unknown'`: it may have been. */
  abstract readonly applied: false | 'unknown';
}

/** The store could not take the call (Redis down, not connected, out of memory, read-only…): nothing was applied. */
export class StoreUnavailableError extends StoreError {
  override name = 'StoreUnavailableError';
  readonly applied = false as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The call was sent to Redis and no answer came within the deadline, or the connection was lost while it was on
 * the wire: it may have been applied (Redis runs a command it has read even when nobody waits for the reply any
 * more). Retry a write with the same idempotency key, which returns the first execution's answer instead of
 * applying it again.
 */
export class OutcomeUnknownError extends StoreError {
  override name = 'OutcomeUnknownError';
  readonly applied = 'unknown' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * An idempotency key that already belongs to another request of the same user (another operation, or other
 * input): the first request's record stands, and this one is not run. Use a new key for a new request.
 */
export class IdempotencyKeyReusedError extends Error {
  override name = 'IdempotencyKeyReusedError';
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

/**
 * Remembr's own in-process work could not finish (the token-counting worker crashed or went silent), so the
 * operation stopped before it wrote anything: retrying is safe.
 */
export class BusyError extends Error {
  override name = 'BusyError';
}

/** Configuration from the environment that Remembr cannot start with; the message names each bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * A store call refused because the request's rate-limit charge, which it carried or waited for, was refused (see
 * rate-limit/charge.ts): the call was not applied. `decision` says why and when to retry (`retryAfterSeconds`).
 */
export class RateLimitRefusedError extends Error {
  override name = 'RateLimitRefusedError';
  constructor(
    readonly limiter: string,
    readonly decision: RateLimitDecision,
  ) {
    super(
      decision.reason === 'store_unavailable'
        ? `Rate limiter ${limiter} cannot reach the store and fails closed; nothing was applied. Retry shortly.`
        : `Rate limit of ${limiter} exceeded (${decision.limit} per window); nothing was applied. Retry in ${decision.retryAfterSeconds ?? 1} s.`,
    );
  }
}
