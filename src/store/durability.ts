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

/** Sends one raw command on one connection. */
export type Send = (command: string[]) => Promise<unknown>;

/**
 * `write` through `send` and WAIT behind it on the same connection (`send` must write to one connection: WAIT
 * counts the replicas that have acknowledged everything sent on it before the WAIT). A write of exactly one
 * command gets its WAIT pipelined right behind it, with no extra round trip. A write sent again through `send`
 * after that (EVALSHA answered NOSCRIPT, which a promoted replica does since scripts are not replicated, then
 * EVAL) was not covered by the first WAIT, and one that did not go through `send` (a MULTI) may not have been
 * queued before it: both get a WAIT sent once they have been answered.
 */
export async function writeAndWait<T>(send: Send, write: (send: Send) => Promise<T>, durability: Durability): Promise<[T, unknown]> {
  let sent = 0;
  const written = write((command) => {
    sent++;
    return send(command);
  });
  if (sent !== 1) return [await written, await send(waitCommand(durability))];
  const [result, acknowledged] = await Promise.all([written, send(waitCommand(durability))]);
  return sent === 1 ? [result, acknowledged] : [result, await send(waitCommand(durability))];
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
