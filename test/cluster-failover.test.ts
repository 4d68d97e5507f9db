import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/index.js';
import { hashSlot } from '../src/store/hash-slot.js';
import { callersOf, testConfig } from './support/app.js';
import { captureLog } from './support/log-capture.js';
import { startRedisCluster, type RedisCluster } from './support/redis-cluster.js';
import type { RedisServer } from './support/redis-server.js';
import { ALICE_KEY, BOB_KEY, CAROL_KEY, REDIS_PASSWORD } from './support/secrets.js';

/**
 * The HTTP service on a password-protected cluster of three masters with one replica each. A master is SIGKILLed
 * and never restarted during the test: the cluster promotes its replica by itself, and the same service instance
 * (no restart, no reconfiguration) serves that master's slots again from the promoted replica, with the data that
 * was replicated before the kill.
 */
const USERS = { alice: ALICE_KEY, bob: BOB_KEY, carol: CAROL_KEY } as const;

describe('the HTTP service on a Redis Cluster with replicas, when a master dies', () => {
  let cluster: RedisCluster;
  let app: FastifyInstance;
  let victim: RedisServer;
  let promoted: RedisServer;
  const log = captureLog('debug');
  const apiKeys = Object.entries(USERS).map(([userId, key]) => ({ userId, key }));

  beforeAll(async () => {
    // A 1 s node timeout: the survivors flag a dead master and its replica stands for election within a couple of
    // seconds (the Redis default, 15 s, would make this test slow, not different).
    cluster = await startRedisCluster({ password: REDIS_PASSWORD, replicas: 1, args: ['--cluster-node-timeout', '1000'] });
    app = await buildApp({
      config: testConfig({ redisUrl: cluster.url, redisCluster: true, redisCommandTimeoutMs: 1500, apiKeys }),
      logger: log.logger,
    });
    await app.ready();
    victim = await cluster.masterOf(hashSlot('alice'));
  });
  afterAll(async () => {
    await app?.close();
    await cluster?.stop();
  });

  const { call, health } = callersOf(() => app, USERS);

  it('serves the dead master’s slots from its promoted replica, with the replicated data, without a restart', async () => {
    expect(await health()).toMatchObject({ status: 'ok', redis_status: 'healthy' });
    const session = (await call('alice', 'POST', '/sessions', { agent_id: 'a' })).json().session_id as string;
    for (const content of ['one', 'two', 'three']) {
      expect((await call('alice', 'POST', `/sessions/${session}/messages`, { role: 'user', content })).statusCode).toBe(201);
    }
    expect((await call('alice', 'PUT', '/tasks/before/result', { result: { kept: true } })).statusCode).toBe(201);
    const replica = await cluster.replicaOf(victim);
    // Replication is asynchronous: only what the replica has acknowledged can survive the kill.
    await cluster.replicasCaughtUp();

    log.clear();
    await victim.kill();
    // Until the promotion the slots answer 503 within the command timeout: the connection is gone, nothing queues.
    const during = await call('alice', 'GET', `/sessions/${session}`);
    expect([200, 503]).toContain(during.statusCode);

    promoted = await cluster.waitForFailover(victim, hashSlot('alice'));
    expect(promoted).toBe(replica);
    // The service finds the new master by itself: the next slot map it asks for names the promoted replica.
    await expect
      .poll(async () => (await call('alice', 'POST', `/sessions/${session}/messages`, { role: 'user', content: 'after' })).statusCode, {
        timeout: 15_000,
        interval: 100,
      })
      .toBe(201);
    const window = (await call('alice', 'GET', `/sessions/${session}/messages`)).json();
    expect(window.messages.map((message: { content: string }) => message.content)).toEqual(['one', 'two', 'three', 'after']);
    expect((await call('alice', 'GET', '/tasks/before/result')).json()).toEqual({ result: { kept: true } });
    expect((await call('alice', 'PUT', '/tasks/after/result', { result: 2 })).statusCode).toBe(201);
    // Every master answers again (the dead one is no longer one), so health is back without the victim.
    await expect.poll(async () => (await health()).redis_status, { timeout: 10_000, interval: 100 }).toBe('healthy');
    // The dead master is never "restored": its outage ends with the line that names who serves its slots now.
    const dead = `redis://127.0.0.1:${victim.port}`;
    const lines = log.entries().filter((line) => line.redis === dead && /^Redis (connection|Cluster)/.test(String(line.msg)));
    expect(lines.map((line) => [line.msg, line.servedBy])).toEqual([
      ['Redis connection lost', undefined],
      ['Redis Cluster failed over: this node left the topology and another serves its slots', `redis://127.0.0.1:${promoted.port}`],
    ]);
    expect(log.text()).not.toContain(REDIS_PASSWORD);
  });

  it('takes the old master back as a replica of the promoted one, and keeps serving', async () => {
    await victim.start();
    await expect
      .poll(async () => /role:slave/.test(await cluster.cli(victim, 'INFO', 'replication').catch(() => '')), { timeout: 15_000, interval: 100 })
      .toBe(true);
    expect(await cluster.masterOf(hashSlot('alice'))).toBe(promoted);
    expect((await call('alice', 'GET', '/tasks/before/result')).statusCode).toBe(200);
    expect((await call('bob', 'POST', '/sessions', { agent_id: 'b' })).statusCode).toBe(201);
  });
});
