import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/index.js';
import { DEFAULTS, loadEncoder } from '../../src/index.js';
import { ALICE_KEY, BOB_KEY, testConfig } from '../support/app.js';
import { captureLogger } from '../support/log-capture.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { watchLoopStalls, type LoopStalls } from './loop-stalls.js';

/**
 * The answer-time promise of the exactly-once issue: with Redis paused (SIGSTOP) under 20 concurrent clients over
 * real HTTP, every authenticated answer (the key check, the rate-limit check, the idempotent write) comes within
 * one REDIS_COMMAND_TIMEOUT_MS, not a multiple of it.
 *
 * On two cores shared with other test files, an answer can leave late because the event loop could not run: the
 * process was given no core, or twenty timeouts expired at once and their answers queue behind each other. So the
 * check measures, per answer, how long this process's loop was held after the answer's deadline (loop-stalls.ts)
 * and allows exactly that, plus a small margin for the work of answering. A delay of the service's own (a store
 * call that waits a full timeout of its own, a timer armed late, a deadline started late) passes with the loop idle
 * and still fails it.
 */
const BOUND_MS = 500;
/** What answering takes after the deadline fires (error body, log line, socket write), in slices too small to see. */
const MARGIN_MS = 100;
const CLIENTS = 20;
const KEYS = [ALICE_KEY, BOB_KEY];

interface Answer {
  route: string;
  method: string;
  status: number;
  /** performance.now() when Fastify took the request, and when it had answered. */
  start: number;
  end: number;
}

describe('answer time while Redis is paused (SIGSTOP)', () => {
  let server: RedisServer;
  let app: FastifyInstance;
  let base: string;
  const answers: Answer[] = [];

  beforeAll(async () => {
    server = await startRedisServer();
    app = await buildApp({ config: testConfig({ redisUrl: server.url, redisCommandTimeoutMs: BOUND_MS }), logger: captureLogger() });
    app.addHook('onResponse', async (request, reply) => {
      const end = performance.now();
      answers.push({ route: request.routeOptions.url ?? '?', method: request.method, status: reply.statusCode, start: end - reply.elapsedTime, end });
    });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    server?.resume();
    await app?.close();
    await server?.stop();
  });

  const send = async (apiKey: string, method: string, path: string, body?: unknown, idempotencyKey?: string) => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${apiKey}`,
        ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: (text ? JSON.parse(text) : {}) as Record<string, any> };
  };

  // Regression: the first append loaded the token encoder on the request path, which held the event loop for over a
  // second on a loaded machine: that append, and every answer in flight beside it, came 2 to 3 s after their bound.
  it('is ready only once its token encoder is loaded, so no request pays for loading it', async () => {
    const loaded = await Promise.race([loadEncoder(DEFAULTS.tokenEncoding).then(() => 'loaded'), Promise.resolve().then(() => 'still loading')]);
    expect(loaded).toBe('loaded');
  });

  it('answers every authenticated request within REDIS_COMMAND_TIMEOUT_MS, plus only the time the event loop was held', async () => {
    const clients = await Promise.all(
      Array.from({ length: CLIENTS }, async (_, i) => {
        const apiKey = KEYS[i % KEYS.length]!;
        // Set up before the pause, retried with its key: a loaded machine can miss a bound even then.
        const key = randomUUID();
        let created = await send(apiKey, 'POST', '/sessions', { agent_id: `timed-${i}` }, key);
        while (created.status === 503 || created.status === 504) created = await send(apiKey, 'POST', '/sessions', { agent_id: `timed-${i}` }, key);
        expect(created.status).toBe(201);
        return { apiKey, sessionId: created.json.session_id as string, i };
      }),
    );
    answers.length = 0;
    const stalls: LoopStalls = watchLoopStalls();
    let running = true;
    // Each client goes round the routes a request of the issue takes: an idempotent append, a read, an idempotent
    // task put and claim, so answers overlap the pause at every step of a request.
    const workload = Promise.all(
      clients.map(async ({ apiKey, sessionId, i }) => {
        for (let n = 0; running; n++) {
          const task = `timed-${i}-${n}`;
          switch (n % 4) {
            case 0:
              await send(apiKey, 'POST', `/sessions/${sessionId}/messages`, { role: 'user', content: `m ${n}` }, randomUUID());
              break;
            case 1:
              await send(apiKey, 'GET', `/sessions/${sessionId}/messages`);
              break;
            case 2:
              await send(apiKey, 'PUT', `/tasks/${task}/result`, { result: n }, randomUUID());
              break;
            default:
              await send(apiKey, 'DELETE', `/tasks/timed-${i}-${n - 1}/result`, undefined, randomUUID());
          }
        }
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const pausedAt = performance.now();
    server.pause();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    server.resume();
    const resumedAt = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 300));
    running = false;
    await workload;
    stalls.stop();

    // Every answer that had the pause in its life.
    const stalled = answers.filter((a) => a.start < resumedAt && a.end > pausedAt);
    const timed = stalled.map((a) => {
      const ms = a.end - a.start;
      const heldMs = stalls.heldMs(a.start + BOUND_MS, a.end);
      return { ...a, ms, heldMs, unexplainedMs: ms - BOUND_MS - heldMs };
    });
    const worst = timed.reduce((w, a) => (a.unexplainedMs > w.unexplainedMs ? a : w), timed[0]!);
    const byStatus: Record<string, number> = {};
    for (const a of stalled) byStatus[a.status] = (byStatus[a.status] ?? 0) + 1;
    const sorted = timed.map((a) => a.ms).sort((x, y) => x - y);
    console.log(
      JSON.stringify({
        case: 'answer-time SIGSTOP',
        boundMs: BOUND_MS,
        clients: CLIENTS,
        requests: answers.length,
        answersDuringPause: stalled.length,
        byStatus,
        p50Ms: Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0),
        maxMs: Math.round(sorted.at(-1) ?? 0),
        overBound: timed.filter((a) => a.ms > BOUND_MS).length,
        maxLoopHoldMs: Math.round(stalls.maxHoldMs()), maxLoopHoldOwnCpuMs: Math.round(stalls.maxHoldCpuMs()),
        worst: { route: `${worst.method} ${worst.route}`, status: worst.status, ms: Math.round(worst.ms), loopHeldAfterDeadlineMs: Math.round(worst.heldMs), unexplainedMs: Math.round(worst.unexplainedMs) },
      }),
    );
    expect(stalled.length).toBeGreaterThan(CLIENTS);
    expect(stalled.filter((a) => a.status >= 500 && a.status !== 503 && a.status !== 504)).toEqual([]);
    // Writes sent just before the pause answer 504 (unknown), everything sent during it 503 (not sent at all).
    expect(byStatus[503]).toBeGreaterThan(0);
    for (const a of timed) {
      expect(a.unexplainedMs, `${a.method} ${a.route} ${a.status}: ${Math.round(a.ms)} ms, loop held ${Math.round(a.heldMs)} ms after its deadline`).toBeLessThan(MARGIN_MS);
    }
  }, 60_000);
});
