import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

/**
 * A client that does what the service tells a caller to do: every logical request carries one Idempotency-Key and
 * is sent again with it, after a short pause, until the answer is definite. 503 (not applied), 504 (outcome
 * unknown) and no answer at all (the connection broke, or the client gave up waiting) are not definite; anything
 * else is, 500 included (which the tests then count as a failure). The figures are what the issue asks a run to
 * report.
 */
export interface RetryFigures {
  /** HTTP requests sent, retries included. */
  requests: number;
  /** 504 OUTCOME_UNKNOWN answers. */
  unknownOutcomes: number;
  /** 503 answers: nothing was applied. */
  notApplied: number;
  /** Requests that got no HTTP answer. */
  transportErrors: number;
  /** Requests sent again after an answer that was not definite. */
  retries: number;
  /** Every attempt: when it was sent (performance.now()), how long its answer took, its status (0: none). */
  attempts: Array<{ sent: number; ms: number; status: number; what: string }>;
}

export interface Definite {
  status: number;
  json: Record<string, any>;
  /** performance.now() when the definite answer came. */
  at: number;
  /** performance.now() when its first attempt was sent. */
  firstSent: number;
  /** How many attempts it took. */
  attempts: number;
}

export function newFigures(): RetryFigures {
  return { requests: 0, unknownOutcomes: 0, notApplied: 0, transportErrors: 0, retries: 0, attempts: [] };
}

export function retryingClient(baseUrl: string, figures: RetryFigures, options: { retryDelayMs?: number; requestTimeoutMs?: number } = {}) {
  const retryDelayMs = options.retryDelayMs ?? 25;
  return async function definitely(apiKey: string, method: string, path: string, body?: unknown, idempotencyKey: string = randomUUID()): Promise<Definite> {
    const firstSent = performance.now();
    for (let attempt = 1; ; attempt++) {
      figures.requests++;
      const sent = performance.now();
      let status = 0;
      let text = '';
      try {
        const res = await fetch(`${baseUrl}/api/v1${path}`, {
          method,
          headers: {
            authorization: `Bearer ${apiKey}`,
            'idempotency-key': idempotencyKey,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(options.requestTimeoutMs ?? 15_000),
        });
        text = await res.text();
        status = res.status;
      } catch {
        figures.transportErrors++;
      }
      const at = performance.now();
      figures.attempts.push({ sent, ms: at - sent, status, what: `${method} ${path}` });
      if (status !== 0 && status !== 503 && status !== 504) {
        return { status, json: (text ? JSON.parse(text) : {}) as Record<string, any>, at, firstSent, attempts: attempt };
      }
      if (status === 504) figures.unknownOutcomes++;
      if (status === 503) figures.notApplied++;
      figures.retries++;
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
    }
  };
}
