import { request as httpRequest } from 'node:http';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/index.js';
import { OutcomeUnknownError } from '../../src/index.js';
import { asAlice, testConfig } from '../support/app.js';
import { captureLogger } from '../support/log-capture.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { untilNoticedDown } from '../support/stores.js';

/**
 * The service on a Redis in trouble: scripts forgotten, memory full, a server that stops answering for a while.
 * Each suite has its own redis-server, which it is free to break.
 */
const BOUND_MS = 400;

async function appOn(server: RedisServer, overrides = {}) {
  const app = await buildApp({
    config: testConfig({ redisUrl: server.url, redisCommandTimeoutMs: BOUND_MS, redisConnectTimeoutMs: 500, ...overrides }),
    logger: captureLogger(),
  });
  await app.ready();
  return app;
}

async function admin(server: RedisServer) {
  const client = createClient({ url: server.url });
  await client.connect();
  return client;
}

describe('after SCRIPT FLUSH (a restart or failover forgets loaded scripts)', () => {
  let server: RedisServer;
  let app: FastifyInstance;
  beforeAll(async () => {
    server = await startRedisServer();
    app = await appOn(server, { rateLimitPerMinute: 1000 });
  });
  afterAll(async () => {
    await app?.close();
    await server?.stop();
  });

  it('runs every scripted operation again', async () => {
    const call = (method: string, url: string, payload?: unknown) => app.inject({ method: method as 'GET', url: `/api/v1${url}`, headers: asAlice, payload: payload as object });
    // Load every script once, then make Redis forget them all.
    const warm = await call('POST', '/sessions', { agent_id: 'warm' });
    await call('POST', `/sessions/${warm.json().session_id}/messages`, { role: 'user', content: 'hi' });
    const redis = await admin(server);
    await redis.sendCommand(['SCRIPT', 'FLUSH']);
    await redis.close();

    const created = await call('POST', '/sessions', { agent_id: 'after-flush' });
    expect(created.statusCode).toBe(201);
    expect(created.headers.ratelimit).toBeDefined();
    const id = created.json().session_id as string;
    expect((await call('GET', `/sessions/${id}`)).statusCode).toBe(200);
    expect((await call('POST', `/sessions/${id}/refresh`)).statusCode).toBe(200);
    expect((await call('POST', `/sessions/${id}/messages`, { role: 'system', content: 'be brief' })).statusCode).toBe(201);
    expect((await call('POST', `/sessions/${id}/messages`, { role: 'user', content: 'hello' })).statusCode).toBe(201);
    expect((await call('GET', `/sessions/${id}/messages`)).json().messages).toHaveLength(2);
    const checkpoint = await call('POST', `/sessions/${id}/checkpoints`);
    expect(checkpoint.statusCode).toBe(201);
    expect((await call('GET', `/sessions/${id}/checkpoints`)).json().checkpoints).toHaveLength(1);
    expect((await call('POST', `/sessions/${id}/restore`, { checkpoint_id: checkpoint.json().checkpoint_id })).json()).toEqual({ restored_message_count: 2 });
    expect((await call('GET', '/sessions')).json().sessions.length).toBeGreaterThanOrEqual(2);
    expect((await call('DELETE', `/sessions/${id}`)).statusCode).toBe(204);
    expect((await call('DELETE', '/sessions')).json().deleted).toBeGreaterThanOrEqual(1);
  });
});

describe('Redis out of memory (maxmemory with noeviction)', () => {
  let server: RedisServer;
  let app: FastifyInstance;
  let sessionId: string;
  beforeAll(async () => {
    server = await startRedisServer({ args: ['--maxmemory', '64mb', '--maxmemory-policy', 'noeviction'] });
    app = await appOn(server);
    const created = await app.inject({ method: 'POST', url: '/api/v1/sessions', headers: asAlice, payload: { agent_id: 'before-full' } });
    sessionId = created.json().session_id;
    await app.inject({ method: 'POST', url: `/api/v1/sessions/${sessionId}/messages`, headers: asAlice, payload: { role: 'user', content: 'kept' } });
    // Fill Redis with someone else's data, then set the limit below what it holds: every write that needs memory
    // is refused from here on (client buffers come and go, so filling up to the limit alone is not steady).
    const redis = await admin(server);
    const blob = 'x'.repeat(16 * 1024);
    for (let i = 0; i < 128; i++) await redis.set(`filler:${i}`, blob);
    const used = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))![1]);
    await redis.configSet('maxmemory', String(used - 512 * 1024));
    await redis.close();
  });
  afterAll(async () => {
    await app?.close();
    await server?.stop();
  });

  it('refuses writes with a clear 503 and changes nothing', async () => {
    const before = await app.inject({ method: 'GET', url: `/api/v1/sessions/${sessionId}/messages`, headers: asAlice });
    const res = await app.inject({ method: 'POST', url: '/api/v1/sessions', headers: asAlice, payload: { agent_id: 'no-room' } });
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('SERVICE_UNAVAILABLE');
    const append = await app.inject({ method: 'POST', url: `/api/v1/sessions/${sessionId}/messages`, headers: asAlice, payload: { role: 'user', content: 'x'.repeat(2000) } });
    expect(append.statusCode).toBe(503);
    const put = await app.inject({ method: 'PUT', url: '/api/v1/tasks/t1/result', headers: asAlice, payload: { result: 'x'.repeat(5000) } });
    expect(put.statusCode).toBe(503);
    const checkpoint = await app.inject({ method: 'POST', url: `/api/v1/sessions/${sessionId}/checkpoints`, headers: asAlice });
    expect(checkpoint.statusCode).toBe(503);
    // Nothing half-written: the window holds what it held, and its token total still adds up.
    const after = await app.inject({ method: 'GET', url: `/api/v1/sessions/${sessionId}/messages`, headers: asAlice });
    expect(after.json()).toEqual(before.json());
    expect((await app.inject({ method: 'GET', url: '/api/v1/sessions', headers: asAlice })).json().sessions).toHaveLength(1);
    expect((await app.inject({ method: 'GET', url: `/api/v1/sessions/${sessionId}/checkpoints`, headers: asAlice })).json().checkpoints).toEqual([]);
  });

  it('keeps serving reads', async () => {
    const session = await app.inject({ method: 'GET', url: `/api/v1/sessions/${sessionId}`, headers: asAlice });
    expect(session.statusCode).toBe(200);
    const window = await app.inject({ method: 'GET', url: `/api/v1/sessions/${sessionId}/messages`, headers: asAlice });
    expect(window.statusCode).toBe(200);
    expect(window.json().messages.map((m: { content: string }) => m.content)).toEqual(['kept']);
    const health = await app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(health.json().redis_status).toBe('healthy');
  });
});

describe('a slow Redis (DEBUG SLEEP, CLIENT PAUSE)', () => {
  let server: RedisServer;
  let app: FastifyInstance;
  beforeAll(async () => {
    server = await startRedisServer({ args: ['--enable-debug-command', 'yes'] });
    app = await appOn(server);
  });
  afterAll(async () => {
    await app?.close();
    await server?.stop();
  });

  it('ends every call within the bound while Redis sleeps, and serves again after', async () => {
    const created = await app.inject({ method: 'POST', url: '/api/v1/sessions', headers: asAlice, payload: { agent_id: 'slow' } });
    const id = created.json().session_id as string;
    const sleeper = await admin(server);
    const sleeping = sleeper.sendCommand(['DEBUG', 'SLEEP', '2']);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    const answers = await Promise.all([
      app.inject({ method: 'GET', url: `/api/v1/sessions/${id}`, headers: asAlice }),
      app.inject({ method: 'POST', url: `/api/v1/sessions/${id}/messages`, headers: asAlice, payload: { role: 'user', content: 'hi' } }),
      app.inject({ method: 'GET', url: '/api/v1/health' }),
    ]);
    const elapsed = Date.now() - started;
    console.log(JSON.stringify({ case: 'debug-sleep', elapsedMs: elapsed, statuses: answers.map((a) => a.statusCode) }));
    // The rate-limit check and the operation share one bound of 400 ms, well before Redis wakes at 2 s.
    expect(elapsed).toBeLessThan(BOUND_MS * 1.6);
    expect(answers[0]!.statusCode).toBe(503);
    expect(answers[2]!.json().redis_status).toBe('unhealthy');
    await sleeping;
    await sleeper.close();
    const after = await app.inject({ method: 'GET', url: `/api/v1/sessions/${id}`, headers: asAlice });
    expect(after.statusCode).toBe(200);
  });

  // Regression: a write that timed out while Redis held it answered 503 "nothing was changed", and Redis then
  // applied it when the pause ended. A command that was sent has an unknown outcome, and the answer must say so.
  it('calls a paused write OutcomeUnknownError, and the write lands after the pause: it was not "nothing changed"', async () => {
    const sessions = app.remembr.sessions;
    const pauser = await admin(server);
    await pauser.sendCommand(['CLIENT', 'PAUSE', '1500', 'WRITE']);
    const failure = await sessions.create('alice', { agentId: 'held-by-redis' }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(OutcomeUnknownError);
    expect((failure as OutcomeUnknownError).applied).toBe('unknown');
    await pauser.sendCommand(['CLIENT', 'UNPAUSE']);
    await pauser.close();
    // Redis held the command, not dropped it: once unpaused it ran, so "may have been applied" was the truth.
    await expect.poll(async () => (await sessions.list('alice')).filter((s) => s.agentId === 'held-by-redis').length).toBe(1);
  });

  // Regression: with REDIS_COMMAND_TIMEOUT_MS=1000 every authenticated answer took 2 s while Redis stalled: the
  // rate-limit check and the operation each waited a full deadline.
  it('answers within one bound while writes are paused (CLIENT PAUSE WRITE): the rate-limit check and the write share it', async () => {
    const created = await app.inject({ method: 'POST', url: '/api/v1/sessions', headers: asAlice, payload: { agent_id: 'paused' } });
    const id = created.json().session_id as string;
    const pauser = await admin(server);
    await pauser.sendCommand(['CLIENT', 'PAUSE', '1500', 'WRITE']);
    const timedInject = async (options: InjectOptions) => {
      const started = performance.now();
      const res = await app.inject(options);
      return { res, ms: performance.now() - started };
    };
    const [write, read, health] = await Promise.all([
      timedInject({ method: 'POST', url: '/api/v1/sessions', headers: asAlice, payload: { agent_id: 'blocked' } }),
      timedInject({ method: 'GET', url: `/api/v1/sessions/${id}`, headers: asAlice }),
      timedInject({ method: 'GET', url: '/api/v1/health' }),
    ]);
    console.log(JSON.stringify({ case: 'client-pause-write', boundMs: BOUND_MS, writeMs: Math.round(write.ms), readMs: Math.round(read.ms), statuses: [write.res.statusCode, read.res.statusCode] }));
    // The rate-limit check and the write travel as one script (one round trip, see rate-limit/charge.ts), which
    // Redis holds: sent and unanswered within the request's bound, so the write's outcome is unknown, and the
    // answer says so (504, retry with the same Idempotency-Key). The read is held too (its script carries the
    // check, a write): 503, safe to repeat.
    expect(write.res.statusCode).toBe(504);
    expect(write.res.json().error).toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    expect(read.res.statusCode).toBe(503);
    // One bound (plus a margin for a loaded machine), not two.
    expect(write.ms).toBeLessThan(BOUND_MS * 1.6);
    expect(read.ms).toBeLessThan(BOUND_MS * 1.6);
    expect(health.res.statusCode).toBe(200);
    await pauser.sendCommand(['CLIENT', 'UNPAUSE']);
    await pauser.close();
    // "Unknown" was the truth: Redis ran the held script once the pause ended, so the session is there, once.
    const agents = async () => (await app.inject({ method: 'GET', url: '/api/v1/sessions', headers: asAlice })).json().sessions.map((s: { agent_id: string }) => s.agent_id);
    await expect.poll(async () => (await agents()).filter((agent: string) => agent === 'blocked').length).toBe(1);
    expect((await app.inject({ method: 'GET', url: `/api/v1/sessions/${id}`, headers: asAlice })).statusCode).toBe(200);
  });

  it('answers a write with 503 SERVICE_UNAVAILABLE only when it never reached Redis, and then nothing was written', async () => {
    // On its AOF, so what was written before the kill is there after it, and what was refused is not.
    const killed = await startRedisServer({ args: ['--appendonly', 'yes', '--appendfsync', 'always'] });
    const down = await appOn(killed);
    try {
      const before = await down.inject({ method: 'POST', url: '/api/v1/sessions', headers: asAlice, payload: { agent_id: 'first' } });
      expect(before.statusCode).toBe(201);
      await killed.kill();
      await untilNoticedDown(down.remembr.store);
      const refused = await down.inject({ method: 'POST', url: '/api/v1/sessions', headers: asAlice, payload: { agent_id: 'never' } });
      expect(refused.statusCode).toBe(503);
      expect(refused.json().error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: expect.stringMatching(/not carried out; nothing was changed/) });
      await killed.start();
      await expect.poll(async () => (await down.inject({ method: 'GET', url: '/api/v1/sessions', headers: asAlice })).statusCode, { timeout: 10_000 }).toBe(200);
      const agents = (await down.inject({ method: 'GET', url: '/api/v1/sessions', headers: asAlice })).json().sessions.map((s: { agent_id: string }) => s.agent_id);
      expect(agents).toEqual(['first']);
    } finally {
      await down.close();
      await killed.stop();
    }
  });
});

describe('request bodies over the limit', () => {
  let app: FastifyInstance;
  let port: number;
  beforeAll(async () => {
    app = await buildApp({ config: testConfig({ bodyLimitBytes: 64 * 1024 }), logger: captureLogger() });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as { port: number }).port;
  });
  afterAll(async () => app?.close());

  it('are refused with 413 from the declared length, before the body is sent', async () => {
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest({
        host: '127.0.0.1', port, method: 'PUT', path: '/api/v1/tasks/big/result',
        headers: { ...asAlice, 'content-type': 'application/json', 'content-length': String(512 * 1024 * 1024) },
      }, (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      // Only the first bytes of a 512 MiB body: the answer must not wait for the rest.
      req.write('{"result":"');
    });
    expect(status).toBe(413);
    expect(JSON.parse(body).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('are cut off at the limit when streamed without a length', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({
        host: '127.0.0.1', port, method: 'PUT', path: '/api/v1/tasks/big/result',
        headers: { ...asAlice, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', () => {});
      req.write('{"result":"');
      const chunk = 'y'.repeat(16 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 4 * 1024 * 1024 && req.write(chunk)) sent += chunk.length;
        if (sent < 4 * 1024 * 1024) req.once('drain', pump);
      };
      pump();
      setTimeout(() => reject(new Error('no answer')), 10_000).unref();
    });
    expect(status).toBe(413);
  });
});

describe('error bodies in production', () => {
  it('carry a code, a message and the request id, never a stack trace', async () => {
    const server = await startRedisServer();
    const app = await buildApp({ config: testConfig({ environment: 'production', redisUrl: server.url }), logger: captureLogger() });
    await app.ready();
    try {
      const bad = await app.inject({ method: 'POST', url: '/api/v1/sessions', headers: { ...asAlice, 'content-type': 'application/json' }, payload: '{"agent_id": ' });
      expect(bad.statusCode).toBe(400);
      await server.kill();
      // Noticed, so the write is refused unsent (503); one sent as the connection broke would be a 504 instead.
      await untilNoticedDown(app.remembr.store);
      const down = await app.inject({ method: 'POST', url: '/api/v1/sessions', headers: asAlice, payload: { agent_id: 'x' } });
      expect(down.statusCode).toBe(503);
      for (const res of [bad, down]) {
        expect(Object.keys(res.json().error).sort()).toEqual(expect.arrayContaining(['code', 'message', 'request_id']));
        expect(res.body).not.toMatch(/\n\s+at |node_modules|\.ts:\d+|\.js:\d+/);
      }
      expect((await app.inject({ method: 'GET', url: '/docs' })).statusCode).toBe(404);
    } finally {
      await app.close();
      await server.stop();
    }
  });
});
