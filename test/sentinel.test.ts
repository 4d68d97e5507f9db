import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/index.js';
import { callersOf, sentinelConfig, testConfig } from './support/app.js';
import { exerciseEveryEndpoint, expectSharedRateLimit } from './support/endpoints.js';
import { captureLog } from './support/log-capture.js';
import { startRedisSentinelSet, type RedisSentinelSet } from './support/redis-sentinel.js';
import type { RedisServer } from './support/redis-server.js';
import { ALICE_KEY, BOB_KEY, CAROL_KEY, REDIS_PASSWORD } from './support/secrets.js';

/**
 * The HTTP service with REDIS_SENTINELS on a password-protected primary, its replica and three Sentinels of the
 * test's own: every endpoint, a rate limit shared by two instances, and the primary SIGKILLed for good, after which
 * the Sentinels promote the replica and the same service instance follows it.
 */
const USERS = { alice: ALICE_KEY, bob: BOB_KEY, carol: CAROL_KEY } as const;

/** The generous sanity bound of a degraded answer; the real bound is the 500 ms command timeout below. */
const SETTLE_BOUND_MS = 5000;

describe('the HTTP service on Redis Sentinel', () => {
  let set: RedisSentinelSet;
  let app: FastifyInstance;
  const log = captureLog('debug');
  const apiKeys = Object.entries(USERS).map(([userId, key]) => ({ userId, key }));
  const config = (overrides = {}) =>
    testConfig({ ...sentinelConfig(set, REDIS_PASSWORD), redisCommandTimeoutMs: 1500, apiKeys, ...overrides });

  beforeAll(async () => {
    set = await startRedisSentinelSet({ password: REDIS_PASSWORD });
    app = await buildApp({ config: config(), logger: log.logger });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await set?.stop();
  });

  const { call, health } = callersOf(() => app, USERS);

  it('reports the primary healthy', async () => {
    expect(await health()).toMatchObject({ status: 'ok', redis_status: 'healthy', store: 'redis' });
  });

  it('serves sessions, messages, checkpoints, restore, tasks and DELETE /sessions', async () => {
    await exerciseEveryEndpoint(call);
  });

  it('holds a rate limit shared by two service instances on the same primary', async () => {
    await expectSharedRateLimit(() => buildApp({ config: config({ rateLimitPerMinute: 3 }), logger: log.logger }), CAROL_KEY);
  });

  describe('when the primary dies', () => {
    let victim: RedisServer;
    let promoted: RedisServer;
    let session: string;

    beforeAll(async () => {
      victim = await set.primary();
      session = (await call('alice', 'POST', '/sessions', { agent_id: 'a' })).json().session_id;
      for (const content of ['one', 'two']) await call('alice', 'POST', `/sessions/${session}/messages`, { role: 'user', content });
      expect((await call('alice', 'PUT', '/tasks/kept/result', { result: { kept: true } })).statusCode).toBe(201);
      // Replication is asynchronous: only what the replica has acknowledged can survive the kill.
      await set.replicasCaughtUp();
    });

    it('answers 503 within the bound until the Sentinels promote the replica, then serves from it without a restart', async () => {
      log.clear();
      await victim.kill();
      const started = performance.now();
      const during = await call('alice', 'GET', `/sessions/${session}`);
      expect(performance.now() - started).toBeLessThan(SETTLE_BOUND_MS);
      expect(during.statusCode).toBe(503);
      expect(await health()).toMatchObject({ status: 'degraded', redis_status: 'unhealthy' });

      promoted = await set.waitForFailover(victim);
      await expect
        .poll(async () => (await call('alice', 'POST', `/sessions/${session}/messages`, { role: 'user', content: 'after' })).statusCode, {
          timeout: 15_000,
          interval: 100,
        })
        .toBe(201);
      const window = (await call('alice', 'GET', `/sessions/${session}/messages`)).json();
      expect(window.messages.map((message: { content: string }) => message.content)).toEqual(['one', 'two', 'after']);
      expect((await call('alice', 'GET', '/tasks/kept/result')).json()).toEqual({ result: { kept: true } });
      expect(await health()).toMatchObject({ status: 'ok', redis_status: 'healthy' });

      // One line for the lost primary, one for the move to the new one, each naming a node (never the password).
      const lines = log.entries().filter((line) => /^Redis (connection lost|Sentinel failed over)/.test(String(line.msg)));
      expect(lines.map((line) => [line.msg, line.redis === `redis://127.0.0.1:${victim.port}` || line.primary === `redis://127.0.0.1:${promoted.port}`])).toEqual([
        ['Redis connection lost', true],
        ['Redis Sentinel failed over: following the new primary', true],
      ]);
      expect(log.text()).not.toContain(REDIS_PASSWORD);
    });

    it('keeps serving when the old primary comes back as a replica of the new one', async () => {
      await victim.start();
      await expect
        .poll(async () => /role:slave/.test(await set.cli(victim, 'INFO', 'replication').catch(() => '')), { timeout: 20_000, interval: 100 })
        .toBe(true);
      expect(await set.primary()).toBe(promoted);
      expect((await call('alice', 'GET', `/sessions/${session}`)).statusCode).toBe(200);
      expect((await call('bob', 'POST', '/sessions', { agent_id: 'b' })).statusCode).toBe(201);
    });
  });
});
