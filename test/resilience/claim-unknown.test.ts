import { randomUUID } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/index.js';
import { asAlice, testConfig } from '../support/app.js';
import { captureLogger } from '../support/log-capture.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

/**
 * A take-once claim whose outcome is unknown for real: the claim reaches Redis and runs (the result is consumed),
 * and its reply is lost on the way back, as when a network drops the answer. A TCP proxy between the service and
 * Redis passes the claim on and swallows every reply after it, until it is told to drop the connection.
 */
interface ReplySwallower {
  readonly url: string;
  /** Forward the next client bytes that contain `marker`, and swallow every reply from then on. */
  swallowRepliesAfter(marker: string): void;
  /** Drops every connection (node-redis reconnects), and passes replies again. */
  heal(): void;
  close(): Promise<void>;
}

async function startReplySwallower(port: number): Promise<ReplySwallower> {
  let marker: string | undefined;
  let swallowing = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => (client.destroy(), upstream.destroy(), sockets.delete(socket)));
    }
    client.on('data', (chunk: Buffer) => {
      if (marker !== undefined && chunk.includes(marker)) [swallowing, marker] = [true, undefined];
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!swallowing) client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    url: `redis://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    swallowRepliesAfter: (text) => {
      marker = text;
    },
    heal: () => {
      swallowing = false;
      for (const socket of sockets) socket.destroy();
    },
    close: () => new Promise((resolve) => (server.close(() => resolve()), [...sockets].forEach((s) => s.destroy()))),
  };
}

describe('a claim answered 504 OUTCOME_UNKNOWN after Redis ran it', () => {
  let server: RedisServer;
  let proxy: ReplySwallower;
  let app: FastifyInstance;

  beforeAll(async () => {
    server = await startRedisServer();
    proxy = await startReplySwallower(server.port);
    app = await buildApp({ config: testConfig({ redisUrl: proxy.url, redisCommandTimeoutMs: 500 }), logger: captureLogger() });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await proxy?.close();
    await server?.stop();
  });

  const call = (method: 'GET' | 'PUT' | 'DELETE', taskId: string, options: { key?: string; payload?: object } = {}) =>
    app.inject({ method, url: `/api/v1/tasks/${taskId}/result`, headers: { ...asAlice, ...(options.key ? { 'idempotency-key': options.key } : {}) }, payload: options.payload });

  /** Puts a result, then claims it with the claim's reply lost: the answer is 504, and Redis did consume it. */
  const claimWithLostReply = async (taskId: string, key?: string) => {
    // The same kind of claim once beforehand, so Redis has its script: else the first EVALSHA is answered NOSCRIPT
    // (swallowed too) and never runs.
    await call('PUT', `${taskId}-warm`, { payload: { result: 0 } });
    expect((await call('DELETE', `${taskId}-warm`, { key: key === undefined ? undefined : randomUUID() })).statusCode).toBe(200);
    const put = await call('PUT', taskId, { payload: { result: { rows: 3 } } });
    expect(put.statusCode, put.body).toBe(201);
    proxy.swallowRepliesAfter(taskId);
    const claim = await call('DELETE', taskId, { key });
    proxy.heal();
    expect(claim.statusCode).toBe(504);
    expect(claim.json().error).toMatchObject({ code: 'OUTCOME_UNKNOWN', message: expect.stringMatching(/same Idempotency-Key/) });
    await expect.poll(async () => (await app.inject({ method: 'GET', url: '/api/v1/health' })).json().redis_status, { timeout: 10_000 }).toBe('healthy');
    // Unknown to the caller, and in fact applied: nobody can peek at the result any more.
    expect((await call('GET', taskId)).statusCode).toBe(404);
  };

  // Regression: a claim that timed out had consumed the result, and nobody ever received it.
  it('gives the result to the retry with the same key, and 404 to every other claimer', async () => {
    const key = randomUUID();
    await claimWithLostReply('lost-claim', key);
    const retry = await call('DELETE', 'lost-claim', { key });
    expect({ status: retry.statusCode, body: retry.json() }).toEqual({ status: 200, body: { result: { rows: 3 } } });
    expect((await call('DELETE', 'lost-claim', { key })).json()).toEqual({ result: { rows: 3 } });
    expect((await call('DELETE', 'lost-claim', { key: randomUUID() })).statusCode).toBe(404);
    expect((await call('DELETE', 'lost-claim')).statusCode).toBe(404);
  });

  it('without a key, a claim answered 504 may have consumed the result for everybody (as the README says)', async () => {
    await claimWithLostReply('keyless-claim');
    expect((await call('DELETE', 'keyless-claim')).statusCode).toBe(404);
    expect((await call('DELETE', 'keyless-claim', { key: randomUUID() })).statusCode).toBe(404);
  });
});
