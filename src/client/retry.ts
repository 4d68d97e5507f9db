/** How the client retries; every field has a default. */
export interface RetryOptions {
  /** Requests one call may make in all, the first included; 1 turns retrying off. @default 3 */
  maxAttempts?: number;
  /**
   * The longest `Retry-After` the client waits out. A longer one is not shortened (a retry before the time the
   * service named is refused again): the call fails at once with the error, whose `retryAfterSeconds` says when
   * to come back. @default 30
   */
  maxRetryAfterSeconds?: number;
  /** The wait before the first retry when the answer names none (no answer at all, a proxy's 504); doubled after each. @default 250 */
  baseDelayMs?: number;
  /**
   * Up to this fraction of each wait added at random, so that clients refused together do not all come back in
   * the same instant. Only ever added: a retry never comes before `Retry-After`. @default 0.2
   */
  jitter?: number;
  /** Told before each retry's wait: for logs and metrics. */
  onRetry?: (event: RetryEvent) => void;
}

export interface RetryEvent {
  /** The attempt that failed (1 for the first request). */
  attempt: number;
  /** Its status, or undefined when there was no answer. */
  status: number | undefined;
  /** The answer's `Retry-After` in seconds, when it had one. */
  retryAfterSeconds: number | undefined;
  /** The wait before the next attempt. */
  delayMs: number;
  /** The key every attempt of this write carries; undefined for a read. */
  idempotencyKey: string | undefined;
}

export const RETRY_DEFAULTS = { maxAttempts: 3, maxRetryAfterSeconds: 30, baseDelayMs: 250, jitter: 0.2 } satisfies Required<Omit<RetryOptions, 'onRetry'>>;

/**
 * What may be retried. A read always; a write only when it carries an Idempotency-Key (the service then applies it
 * once however often it arrives). The operations the OpenAPI document gives no key are never retried, even on a
 * 503 or 429 (which change nothing): those are the ones whose repetition the service leaves to the caller.
 */
export type RetryKind = 'read' | 'keyed-write' | 'write';

/**
 * Whether an answer of this status is worth another attempt: 429 (over the limit) and 503 (nothing was changed),
 * and 504 (the outcome is unknown: safe only because the retry carries the same key, and for a read). Never another
 * 4xx: the same request would be refused the same way.
 */
export function retryableStatus(kind: RetryKind, status: number): boolean {
  if (kind === 'write') return false;
  return status === 429 || status === 503 || status === 504;
}

/** `Retry-After` in seconds from now: delay-seconds, or an HTTP-date (RFC 9110 §10.2.3); undefined when absent or malformed. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  // Every HTTP-date form names its day or month; Date.parse alone would take "-1" as a year.
  if (!/[A-Za-z]{3}/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * The wait before the next attempt, or undefined when the call should fail now (a Retry-After past the cap).
 * `attempt` is the one that just failed (1 for the first).
 */
export function delayBeforeRetry(options: typeof RETRY_DEFAULTS, attempt: number, retryAfterSeconds: number | undefined, random = Math.random): number | undefined {
  if (retryAfterSeconds !== undefined && retryAfterSeconds > options.maxRetryAfterSeconds) return undefined;
  const base = retryAfterSeconds !== undefined ? retryAfterSeconds * 1000 : options.baseDelayMs * 2 ** (attempt - 1);
  return Math.round(base * (1 + options.jitter * random()));
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
