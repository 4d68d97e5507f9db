import { assertTtl } from '../cache/cache-service.js';
import { encodeJson } from '../cache/json.js';
import { ValidationError } from '../errors.js';
import { assertId, hashTag, LONG_TERM_TTL, makeKey, SHORT_TERM_TTL } from '../keys.js';
import { IDEMPOTENCY_TTL, onceFor, runOnce, type IdempotencyOptions } from '../idempotency/once.js';
import type { Store } from '../store/port.js';
import { defineScript } from '../store/script.js';

/** KEYS: result. ARGV: JSON, seconds. The scripted SET, for a put with an idempotency key. */
const putScript = defineScript('put-task-result', new URL('./put-result.lua', import.meta.url), (db, [key], [text, seconds]) => {
  db.setString(key!, text!, Number(seconds) * 1000);
  return 1;
});

/** KEYS: result. The scripted GETDEL, for a claim with an idempotency key. */
const takeScript = defineScript('take-task-result', new URL('./take-result.lua', import.meta.url), (db, [key]) => {
  const value = db.getString(key!);
  if (value !== null) db.del(key!);
  return value;
});

export interface TaskResultStoreOptions {
  /** The longest a result may be kept. @default LONG_TERM_TTL (a day) */
  maxTtlSeconds?: number;
  /** How long an idempotency record is kept. @default IDEMPOTENCY_TTL */
  idempotencyTtlSeconds?: number;
}

/**
 * A result that was found. It is wrapped so that a stored `null` (or `false`, `0`, `""`) is told apart from no
 * result at all, which is `null` itself.
 */
export interface FoundTaskResult<T = unknown> {
  result: T;
}

/**
 * The guide's temporary data storage: the result of a background task, kept for a while under the user who
 * owns it, read by peeking or claimed once. Each user's results live under their own key space, so another user's
 * task id is simply a miss. Unlike CacheService this does not degrade: a store failure rejects with
 * a StoreError, because "no result" would be a lie the caller might act on.
 */
export class TaskResultStore {
  readonly maxTtlSeconds: number;
  readonly #store: Store;
  readonly #idempotencyTtlSeconds: number;

  constructor(store: Store, options: TaskResultStoreOptions = {}) {
    this.#store = store;
    this.maxTtlSeconds = assertTtl(options.maxTtlSeconds ?? LONG_TERM_TTL, 'maxTtlSeconds');
    this.#idempotencyTtlSeconds = assertTtl(options.idempotencyTtlSeconds ?? IDEMPOTENCY_TTL, 'idempotencyTtlSeconds');
  }

  /**
   * Stores (or replaces) a task's result, kept `ttlSeconds`. Returns that TTL. With an idempotency key a retry
   * after an unknown outcome answers the same without writing again (so it cannot put back a result that was
   * claimed in between).
   */
  async put(
    userId: string,
    taskId: string,
    result: unknown,
    ttlSeconds: number = SHORT_TERM_TTL,
    options?: IdempotencyOptions,
  ): Promise<{ ttlSeconds: number }> {
    const key = this.#key(userId, taskId);
    assertTtl(ttlSeconds);
    if (ttlSeconds > this.maxTtlSeconds) {
      throw new ValidationError(`ttlSeconds may be at most ${this.maxTtlSeconds} (got ${ttlSeconds})`, 'ttlSeconds');
    }
    if (result === undefined) throw new ValidationError('result is required: any JSON value, null included', 'result');
    let text: string;
    try {
      text = encodeJson(result);
    } catch (err) {
      const message = (err as Error).message;
      throw new ValidationError(message.startsWith('the value ') ? `result ${message.slice('the value '.length)}` : `result: ${message}`, 'result');
    }
    const once = onceFor(options, userId, 'task.put', { taskId, result: text, ttlSeconds }, this.#idempotencyTtlSeconds);
    if (once === undefined) await this.#store.set(key, text, ttlSeconds);
    else await runOnce(this.#store, putScript, [key], [text, ttlSeconds], once);
    return { ttlSeconds };
  }

  /** The result, left in place; null when there is none (never stored, expired, claimed, or someone else's). */
  async peek<T = unknown>(userId: string, taskId: string): Promise<FoundTaskResult<T> | null> {
    return decode<T>(await this.#store.get(this.#key(userId, taskId)));
  }

  /**
   * The result, removed in the same step (GETDEL): of any number of concurrent takers exactly one receives it,
   * where the guide's get-then-delete handed it to all of them.
   *
   * A claim whose answer is lost (OutcomeUnknownError: Redis may have removed the result and nobody heard) is
   * safe to retry only with an idempotency key: the retry with the same key receives the same result, and any
   * other claimer still gets null. Without a key a timed-out claim may have consumed the result, which is then gone.
   */
  async take<T = unknown>(userId: string, taskId: string, options?: IdempotencyOptions): Promise<FoundTaskResult<T> | null> {
    const key = this.#key(userId, taskId);
    const once = onceFor(options, userId, 'task.take', { taskId }, this.#idempotencyTtlSeconds);
    if (once === undefined) return decode<T>(await this.#store.getDel(key));
    const { reply } = await runOnce(this.#store, takeScript, [key], [], once);
    return decode<T>(reply as string | null);
  }

  /** Seconds the result has left, or null when there is none. */
  async expiresIn(userId: string, taskId: string): Promise<number | null> {
    const ttl = await this.#store.ttl(this.#key(userId, taskId));
    return ttl < 0 ? null : ttl;
  }

  /** `remembr:task:{<user>}:<task>:result` */
  #key(userId: string, taskId: string): string {
    return makeKey('task', hashTag(assertId(userId, 'userId')), assertId(taskId, 'taskId'), 'result');
  }
}

function decode<T>(raw: string | null): FoundTaskResult<T> | null {
  return raw === null ? null : { result: JSON.parse(raw) as T };
}
