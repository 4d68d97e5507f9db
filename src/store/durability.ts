import { OutcomeUnknownError } from '../errors.js';

/**
 * Durable acknowledgements: a write is answered only once `replicas` replicas have it (Redis's WAIT), so that a
 * failover that promotes one of them cannot lose it. Redis 7.0 has no WAITAOF (7.2 and later): this counts
 * replicas that received the write, not ones that wrote it to disk.
 */
export interface Durability {
  /** Replicas that must have the write before it is acknowledged. */
  replicas: number;
  /** How long WAIT may wait for them (less than the command timeout, so the answer comes inside the deadline). */
  timeoutMs: number;
}

/** WAIT for the writes sent before it on the same connection. */
export function waitCommand(durability: Durability): string[] {
  return ['WAIT', String(durability.replicas), String(durability.timeoutMs)];
}

/**
 * Sends `write` and, on the same connection right behind it (in the same pipeline: no extra round trip to wait
 * for), WAIT. Resolves with both replies; `confirmReplicated` then judges them, outside the outage rules, since
 * too few replicas is no connection failure.
 */
export function sendWithWait<T>(write: () => Promise<T>, wait: (command: string[]) => Promise<unknown>, durability: Durability): Promise<[T, unknown]> {
  return Promise.all([write(), wait(waitCommand(durability))]);
}

/**
 * The write's reply once enough replicas have it. Fewer within the timeout: the primary applied the write but a
 * failover now could lose it, so the honest answer is OutcomeUnknownError (retry with the same idempotency key),
 * never a success.
 */
export function confirmReplicated<T>([result, acknowledged]: [T, unknown], durability: Durability, where: string): T {
  if (Number(acknowledged) >= durability.replicas) return result;
  throw new OutcomeUnknownError(
    `Redis at ${where} applied the write, but only ${Number(acknowledged)} of ${durability.replicas} replicas confirmed it within ` +
      `${durability.timeoutMs} ms: a failover now could lose it`,
  );
}
