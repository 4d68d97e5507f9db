import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/index.js';
import { hashSlot } from '../src/store/hash-slot.js';
import { callersOf, testConfig } from './support/app.js';
import { exerciseEveryEndpoint, expectSharedRateLimit } from './support/endpoints.js';
import { captureLog } from './support/log-capture.js';
import { startRedisCluster, type RedisCluster } from './support/redis-cluster.js';
import type { RedisServer } from './support/redis-server.js';
import { ALICE_KEY, BOB_KEY, CAROL_KEY, REDIS_PASSWORD } from './support/secrets.js';

/**
 * The HTTP service with REDIS_CLUSTER=true on a password-protected three-master cluster of the test's own (every
 * node connection needs the password, not only the seed's), and what happens when one master dies.
 *
 * All of one user's data (sessions, windows, checkpoints, tasks) shares the user's hash tag, so it lives on one
 * master. The fault tests kill the master of Alice's slot and watch a user whose slot is on another master.
 */
const USERS = { alice: ALICE_KEY, bob: BOB_KEY, carol: CAROL_KEY } as const;
type User = keyof typeof USERS;

/** The generous sanity bound of a degraded answer; the real bound is the 500 ms command timeout below. */
const SETTLE_BOUND_MS = 5000;

describe('the HTTP service on a Redis Cluster', () => {
  let cluster: RedisCluster;
  let app: FastifyInstance;
  const log = captureLog('debug');
  const apiKeys = Object.entries(USERS).map(([userId, key]) => ({ userId, key }));

  beforeAll(async () => {
    // Append-only files so a master that is killed and restarted comes back with its data; a 1 s node timeout so the
    // cluster notices a dead master (and clears the flag once it is back) quickly.
    cluster = await startRedisCluster({
      password: REDIS_PASSWORD,
      args: ['--appendonly', 'yes', '--appendfsync', 'always', '--cluster-node-timeout', '1000'],
    });
    app = await buildApp({
      config: testConfig({ redisUrl: cluster.url, redisCluster: true, redisCommandTimeoutMs: 500, apiKeys }),
      logger: log.logger,
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await cluster?.stop();
  });

  const { call, health } = callersOf(() => app, USERS);

  it('reports the cluster healthy', async () => {
    expect(await health()).toMatchObject({ status: 'ok', redis_status: 'healthy', store: 'redis' });
  });

  it('serves sessions, messages, checkpoints, restore, tasks and DELETE /sessions', async () => {
    await exerciseEveryEndpoint(call);
  });

  it('holds a rate limit shared by two service instances on the cluster', async () => {
    await expectSharedRateLimit(() => buildApp({ config: testConfig({ redisUrl: cluster.url, redisCluster: true, rateLimitPerMinute: 3, apiKeys }), logger: log.logger }), CAROL_KEY);
  });

  describe('when one master dies', () => {
    let victim: RedisServer;
    let survivor: User;
    let alices: string;
    let theirs: string;

    beforeAll(async () => {
      victim = await cluster.masterOf(hashSlot('alice'));
      const others = await Promise.all((['bob', 'carol'] as const).map(async (user) => ({ user, node: await cluster.masterOf(hashSlot(user)) })));
      const elsewhere = others.find(({ node }) => node !== victim);
      if (!elsewhere) throw new Error("bob and carol both live on Alice's master: pick another user");
      survivor = elsewhere.user;
      alices = (await call('alice', 'POST', '/sessions', { agent_id: 'a' })).json().session_id;
      theirs = (await call(survivor, 'POST', '/sessions', { agent_id: 'b' })).json().session_id;
    });

    /** Resolves once every other master has flagged the victim as failed (`fail`, not merely suspected: `fail?`). */
    const victimFlaggedFailed = async () => {
      const others = cluster.nodes.filter((node) => node !== victim);
      await expect
        .poll(async () => (await cluster.flagsOf(victim, others)).every((flags) => flags.includes('fail')), { timeout: 20_000, interval: 100 })
        .toBe(true);
    };
    const setFullCoverage = (value: 'yes' | 'no') =>
      Promise.all(cluster.nodes.map((node) => cluster.cli(node, 'CONFIG', 'SET', 'cluster-require-full-coverage', value)));
    const timed = async (request: () => Promise<{ statusCode: number }>) => {
      const started = performance.now();
      const res = await request();
      return { status: res.statusCode, ms: performance.now() - started };
    };
    const connectionLines = () =>
      log
        .entries()
        .filter((line) => /^Redis connection (lost|restored)$/.test(String(line.msg)))
        .map((line) => `${String(line.msg).split(' ')[2]} ${String(line.redis)}`);

    it('with full coverage required (the Redis default): once the cluster is declared down every call answers 503, and all recover', async () => {
      await setFullCoverage('yes');
      log.clear();
      await victim.kill();
      await Promise.all([victimFlaggedFailed(), cluster.waitForState('fail', cluster.nodes.filter((node) => node !== victim))]);

      for (const request of [
        () => call('alice', 'GET', `/sessions/${alices}`),
        () => call(survivor, 'GET', `/sessions/${theirs}`),
        () => call(survivor, 'POST', `/sessions/${theirs}/messages`, { role: 'user', content: 'hello?' }),
        () => call(survivor, 'PUT', '/tasks/t3/result', { result: 3 }),
      ]) {
        const { status, ms } = await timed(request);
        expect(status).toBe(503);
        expect(ms).toBeLessThan(SETTLE_BOUND_MS);
      }
      expect(await health()).toMatchObject({ status: 'degraded', redis_status: 'unhealthy' });

      await victim.start();
      // Also waits until the others stop flagging it as failed, so the next test sees a fresh failure.
      await cluster.waitForState('ok');
      await expect.poll(async () => (await health()).redis_status, { timeout: 15_000, interval: 100 }).toBe('healthy');
      expect((await call('alice', 'GET', `/sessions/${alices}`)).statusCode).toBe(200);
      expect((await call(survivor, 'POST', `/sessions/${theirs}/messages`, { role: 'user', content: 'back' })).statusCode).toBe(201);
      // Each master that failed calls is logged once going and once coming back.
      const lines = connectionLines();
      const lost = lines.filter((line) => line.startsWith('lost ')).map((line) => line.slice(5));
      const restored = lines.filter((line) => line.startsWith('restored ')).map((line) => line.slice(9));
      expect(lost).toContain(`redis://127.0.0.1:${victim.port}`);
      expect(new Set(lost).size).toBe(lost.length);
      expect([...restored].sort()).toEqual([...lost].sort());
    });
    it('without full coverage required: its slots answer 503 quickly, the other masters keep serving, and it recovers', async () => {
      await setFullCoverage('no');
      log.clear();
      await victim.kill();
      await victimFlaggedFailed();

      for (const request of [
        () => call('alice', 'GET', `/sessions/${alices}`),
        () => call('alice', 'POST', `/sessions/${alices}/messages`, { role: 'user', content: 'hello?' }),
        () => call('alice', 'POST', '/sessions', { agent_id: 'new' }),
        () => call('alice', 'PUT', '/tasks/t2/result', { result: 1 }),
      ]) {
        const { status, ms } = await timed(request);
        expect(status).toBe(503);
        expect(ms).toBeLessThan(SETTLE_BOUND_MS);
      }
      expect((await call(survivor, 'GET', `/sessions/${theirs}`)).statusCode).toBe(200);
      expect((await call(survivor, 'POST', `/sessions/${theirs}/messages`, { role: 'user', content: 'still here' })).statusCode).toBe(201);
      expect((await call(survivor, 'PUT', '/tasks/t2/result', { result: 2 })).statusCode).toBe(201);
      // Part of the keyspace is away, and health says so.
      expect(await health()).toMatchObject({ status: 'degraded', redis_status: 'unhealthy' });
      // However many calls fail while it is away, the log says so once, naming the master (never the password).
      const where = `redis://127.0.0.1:${victim.port}`;
      for (let i = 0; i < 20; i++) expect((await call('alice', 'GET', `/sessions/${alices}`)).statusCode).toBe(503);
      expect(connectionLines()).toEqual([`lost ${where}`]);

      await victim.start();
      // Last in the file, so no need to wait until the others clear their failure flag; the requests tell.
      await expect.poll(async () => (await call('alice', 'GET', `/sessions/${alices}`)).statusCode, { timeout: 15_000, interval: 100 }).toBe(200);
      expect((await call('alice', 'POST', `/sessions/${alices}/messages`, { role: 'user', content: 'back' })).statusCode).toBe(201);
      expect(await health()).toMatchObject({ status: 'ok', redis_status: 'healthy' });
      // And once when it came back. A restarted master on a loaded machine may drop its first connections again while
      // it settles: each such flap is a transition of its own (a lost/restored pair), so the lines alternate and end
      // restored.
      const lines = connectionLines();
      expect(lines.length % 2).toBe(0);
      expect(lines.length).toBeGreaterThanOrEqual(2);
      lines.forEach((line, i) => expect(line).toBe(`${i % 2 === 0 ? 'lost' : 'restored'} ${where}`));
      expect(log.text()).not.toContain(REDIS_PASSWORD);
    });

  });
});
