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

/** Sends one raw command on one connection. */
export type Send = (command: string[]) => Promise<unknown>;

/**
 * `write` and WAIT behind it on the same connection (`send` writes to that one connection: WAIT counts the
 * replicas that have acknowledged everything sent on it before the WAIT). `write` must have queued its command on
 * the connection when it returns (node-redis queues a command as it is called), either through the `send` it is
 * given or through the connection's own methods; the WAIT is then pipelined right behind it, with no extra round
 * trip, and resolves with it so `confirmReplicated` can judge both (too few replicas is no connection failure).
 * A command `write` sends again through `send` after that (EVALSHA answered NOSCRIPT, as a promoted replica does
 * since scripts are not replicated, then EVAL) was not covered by that WAIT: it gets one of its own.
 */
export async function writeAndWait<T>(send: Send, write: (send: Send) => Promise<T>, durability: Durability): Promise<[T, unknown]> {
  let sent = 0;
  const written = write((command) => {
    sent++;
    return send(command);
  });
  const before = sent;
  const [result, acknowledged] = await Promise.all([written, send(waitCommand(durability))]);
  return sent === before ? [result, acknowledged] : [result, await send(waitCommand(durability))];
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
