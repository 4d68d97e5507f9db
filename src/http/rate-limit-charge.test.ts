import { describe, expect, it } from 'vitest';
import { as, useApp } from '../../test/support/app.js';
import { createClient } from 'redis';
import type { RedisCluster } from '../../test/support/redis-cluster.js';
import type { RedisSentinelSet } from '../../test/support/redis-sentinel.js';
import type { RedisServer } from '../../test/support/redis-server.js';
import { allBackends } from '../../test/support/stores.js';

/**
 * One Redis round trip per counted request (rate-limit/charge.ts): the rate-limit check rides on the request's own
 * script. What a user would notice stays as it was: exactly the limit gets through, a refused write changes
 * nothing, every request is counted once (those that never reach the store, and idempotent replays, too).
 */
const LIMIT = 20;
const USERS = Array.from({ length: 12 }, (_, i) => ({ userId: `charged${i}`, key: `charge-test-key-${String(i).padStart(4, '0')}-abcdefgh` }));

/** Commands a store (or a Sentinel, publishing its hellos) sends on its own, not for a request. */
const NOT_FOR_REQUESTS = new Set(['info', 'ping', 'role', 'cluster', 'client', 'hello', 'command', 'sentinel', 'select', 'auth', 'readonly', 'config', 'echo', 'publish', 'subscribe']);

/** The data nodes behind the app of `ctx` (every master of a cluster, the primary of a Sentinel set). */
async function dataNodes(ctx: { server?: RedisServer; cluster?: RedisCluster; sentinels?: RedisSentinelSet }): Promise<RedisServer[]> {
  if (ctx.server) return [ctx.server];
  if (ctx.cluster) return ctx.cluster.nodes.slice(0, 3);
  return [await ctx.sentinels!.primary()];
}

/**
 * The commands clients sent to Redis while `work` ran, as {command: count}, seen by MONITOR on every data node.
 * MONITOR tells a client's command (`[0 127.0.0.1:port]`) from one a script ran (`[0 lua]`), which INFO
 * commandstats counts alike. An ECHO of a marker, sent after the work, says when MONITOR has shown it all.
 */
async function commandsDuring(nodes: RedisServer[], work: () => Promise<unknown>): Promise<Record<string, number>> {
  const marker = `end-of-work-${Math.random().toString(36).slice(2)}`;
  const sent: Record<string, number> = {};
  const watchers = await Promise.all(
    nodes.map(async (node) => {
      const client = createClient({ url: node.url });
      client.on('error', () => {});
      await client.connect();
      let seenMarker: () => void = () => {};
      const done = new Promise<void>((resolve) => (seenMarker = resolve));
      await client.monitor((line: string) => {
        if (line.includes(marker)) return seenMarker();
        const match = /^\S+ \[\d+ ([^\]]+)\] "([^"]+)"/.exec(line);
        if (!match || match[1] === 'lua') return;
        const command = match[2]!.toLowerCase();
        if (!NOT_FOR_REQUESTS.has(command)) sent[command] = (sent[command] ?? 0) + 1;
      });
      return { node, client, done };
    }),
  );
  try {
    await work();
    for (const { node, done } of watchers) {
      const echo = createClient({ url: node.url });
      await echo.connect();
      await echo.sendCommand(['ECHO', marker]);
      await echo.close();
      await done;
    }
  } finally {
    for (const { client } of watchers) client.destroy();
  }
  return sent;
}

const remaining = (res: { headers: Record<string, unknown> }) => Number(/;r=(\d+)/.exec(String(res.headers.ratelimit))?.[1]);

describe.each(allBackends)('one round trip per counted request on %s', (backend) => {
  const ctx = useApp(backend, { rateLimitPerMinute: LIMIT, apiKeys: USERS, metricsSampleIntervalMs: 0 });
  let next = 0;
  /** A user of the test's own (a bucket nobody else spends), with a session made through the library (uncounted). */
  const freshUser = async () => {
    const { userId, key } = USERS[next++]!;
    const session = await ctx.app.remembr.sessions.create(userId, { agentId: 'charge-test' });
    const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object, headers: Record<string, string> = {}) =>
      ctx.app.inject({ method, url: `/api/v1${url}`, headers: { ...as(key), ...headers }, ...(payload ? { payload } : {}) });
    return { userId, sessionId: session.sessionId, call };
  };

  it('lets exactly the limit of 50 concurrent appends through, and the 30 refused leave no message', async () => {
    const { userId, sessionId, call } = await freshUser();
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => call('POST', `/sessions/${sessionId}/messages`, { role: 'user', content: `message ${i}` })));
    const accepted = responses.filter((res) => res.statusCode === 201);
    const refused = responses.filter((res) => res.statusCode === 429);
    expect(accepted).toHaveLength(LIMIT);
    expect(refused).toHaveLength(50 - LIMIT);
    for (const res of refused) {
      expect(res.json().error.code).toBe('RATE_LIMIT_EXCEEDED');
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(remaining(res)).toBe(0);
      expect(res.headers['ratelimit-policy']).toBe(`"default";q=${LIMIT};w=60`);
    }
    // Each accepted append saw its own remaining count, 19 down to 0.
    expect(accepted.map(remaining).sort((a, b) => a - b)).toEqual(Array.from({ length: LIMIT }, (_, i) => i));
    const window = await ctx.app.remembr.memory.read(userId, sessionId);
    expect(window!.messages.map((m) => m.content).sort()).toEqual(accepted.map((res) => res.json().message.content).sort());
  });

  it('applies nothing of a refused write: appends, task results, deletes, checkpoints', async () => {
    const { userId, sessionId, call } = await freshUser();
    for (let i = 0; i < LIMIT; i++) expect((await call('GET', `/sessions/${sessionId}`)).statusCode).toBe(200);
    const refused = [
      await call('POST', `/sessions/${sessionId}/messages`, { role: 'user', content: 'too late' }),
      await call('PUT', '/tasks/late/result', { result: 'never' }),
      await call('POST', `/sessions/${sessionId}/checkpoints`),
      await call('DELETE', `/sessions/${sessionId}`),
      await call('POST', '/sessions', { agent_id: 'too-late' }),
    ];
    expect(refused.map((res) => res.statusCode)).toEqual([429, 429, 429, 429, 429]);
    const { memory, tasks, sessions } = ctx.app.remembr;
    expect((await memory.read(userId, sessionId))!.messages).toEqual([]);
    expect(await tasks.peek(userId, 'late')).toBeNull();
    expect(await memory.listCheckpoints(userId, sessionId)).toEqual([]);
    expect((await sessions.list(userId)).map((s) => s.sessionId)).toEqual([sessionId]);
  });

  it('counts a request that never reaches the store once, and answers it 429 once the limit is spent', async () => {
    const { sessionId, call } = await freshUser();
    const invalid = await call('POST', `/sessions/${sessionId}/messages`, { role: 'nobody', content: 'x' });
    expect(invalid.statusCode).toBe(400);
    expect(remaining(invalid)).toBe(LIMIT - 1);
    const next = await call('GET', `/sessions/${sessionId}`);
    expect(remaining(next)).toBe(LIMIT - 2);
    for (let i = 2; i < LIMIT; i++) await call('GET', `/sessions/${sessionId}`);
    const over = await call('POST', `/sessions/${sessionId}/messages`, { role: 'nobody', content: 'x' });
    expect(over.statusCode).toBe(429);
    expect(over.headers['content-type']).toMatch(/^application\/json/);
    expect(over.json()).toEqual({
      error: { code: 'RATE_LIMIT_EXCEEDED', message: expect.stringContaining(`${LIMIT} requests per 60 s`), request_id: over.headers['x-request-id'] },
    });
    expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(remaining(over)).toBe(0);
  });

  it('counts an idempotent replay, and refuses it once the limit is spent', async () => {
    const { userId, sessionId, call } = await freshUser();
    const append = () => call('POST', `/sessions/${sessionId}/messages`, { role: 'user', content: 'once' }, { 'idempotency-key': 'append-once' });
    const first = await append();
    const replay = await append();
    expect([first.statusCode, replay.statusCode]).toEqual([201, 201]);
    expect(replay.json().message.id).toBe(first.json().message.id);
    expect([remaining(first), remaining(replay)]).toEqual([LIMIT - 1, LIMIT - 2]);
    for (let i = 2; i < LIMIT; i++) await call('GET', `/sessions/${sessionId}`);
    expect((await append()).statusCode).toBe(429);
    expect((await ctx.app.remembr.memory.read(userId, sessionId))!.messages).toHaveLength(1);
  });

  // The point: the check used to be a script of its own before the operation's, two EVALSHA per request.
  // Round trips are counted with MONITOR on Redis's data nodes: the memory store has none to count.
  if (backend !== 'memory') {
    it('sends one EVALSHA for GET /sessions/{id} and one for POST …/messages, check included', async () => {
      const { sessionId, call } = await freshUser();
      // Load the scripts first (a server that does not know one answers NOSCRIPT, and the source follows once).
      await call('GET', `/sessions/${sessionId}`);
      // The first append to a session reads its token encoding once (a plain GET, so that request checks on its own
      // first); the second carries the check in the append script, loading that composed script.
      await call('POST', `/sessions/${sessionId}/messages`, { role: 'user', content: 'warm' });
      await call('POST', `/sessions/${sessionId}/messages`, { role: 'user', content: 'warm again' });
      await call('POST', `/sessions/${sessionId}/messages`, { role: 'nobody' });
      let read: { statusCode: number; headers: Record<string, unknown> } | undefined;
      expect(await commandsDuring(await dataNodes(ctx), async () => (read = await call('GET', `/sessions/${sessionId}`)))).toEqual({ evalsha: 1 });
      expect(read!.statusCode).toBe(200);
      expect(remaining(read!)).toBe(LIMIT - 5);
      let appended: { statusCode: number; headers: Record<string, unknown> } | undefined;
      const append = () => call('POST', `/sessions/${sessionId}/messages`, { role: 'user', content: 'counted' });
      expect(await commandsDuring(await dataNodes(ctx), async () => (appended = await append()))).toEqual({ evalsha: 1 });
      expect(appended!.statusCode).toBe(201);
      expect(remaining(appended!)).toBe(LIMIT - 6);
      // A request the schema refuses never reaches the store but for its check: one script, the check alone.
      expect(await commandsDuring(await dataNodes(ctx), () => call('POST', `/sessions/${sessionId}/messages`, { role: 'nobody' }))).toEqual({ evalsha: 1 });
    });
  }
});

describe.each(['redis', 'cluster'] as const)('one round trip on a service running open, on %s', (backend) => {
  const ctx = useApp(backend, { rateLimitPerMinute: 3, apiKeys: [], metricsSampleIntervalMs: 0 });

  it('keeps every address bucket in the local user’s slot, so its check rides along too, counted per address', async () => {
    const { sessionId } = await ctx.app.remembr.sessions.create('local', { agentId: 'open' });
    const from = (remoteAddress: string) => ctx.app.inject({ method: 'GET', url: `/api/v1/sessions/${sessionId}`, remoteAddress });
    await from('10.9.0.1');
    expect(await commandsDuring(await dataNodes(ctx), () => from('10.9.0.1'))).toEqual({ evalsha: 1 });
    expect((await from('10.9.0.1')).statusCode).toBe(200);
    expect((await from('10.9.0.1')).statusCode).toBe(429);
    expect((await from('10.9.0.2')).statusCode).toBe(200);
  });
});

describe('one round trip with Redis paused (SIGSTOP)', () => {
  const BOUND_MS = 400;
  const ctx = useApp('redis', { redisCommandTimeoutMs: BOUND_MS, apiKeys: USERS.slice(0, 1) });

  it('answers within the one deadline: the check and the operation share it, and a store-less request fails open within it', async () => {
    const { userId, key } = USERS[0]!;
    const { sessionId } = await ctx.app.remembr.sessions.create(userId, { agentId: 'paused' });
    const call = (method: 'GET' | 'POST', url: string, payload?: object) =>
      ctx.app.inject({ method, url: `/api/v1${url}`, headers: as(key), ...(payload ? { payload } : {}) });
    await call('POST', `/sessions/${sessionId}/messages`, { role: 'user', content: 'warm' });
    const timed = async (work: Promise<{ statusCode: number }>) => {
      const started = performance.now();
      const res = await work;
      return { status: res.statusCode, ms: performance.now() - started };
    };
    ctx.server!.pause();
    let answers: Array<{ status: number; ms: number }>;
    try {
      answers = await Promise.all([
        timed(call('GET', `/sessions/${sessionId}`)),
        timed(call('POST', `/sessions/${sessionId}/messages`, { role: 'user', content: 'sent while paused' })),
        timed(call('POST', `/sessions/${sessionId}/messages`, { role: 'nobody' })),
      ]);
    } finally {
      ctx.server!.resume();
    }
    console.log(JSON.stringify({ case: 'charge-sigstop', boundMs: BOUND_MS, answers: answers.map((a) => ({ status: a.status, ms: Math.round(a.ms) })) }));
    // The read is safe to repeat (503); the append was sent, so its outcome is unknown (504); the invalid body is
    // answered as it is, its check having failed open.
    expect(answers.map((a) => a.status)).toEqual([503, 504, 400]);
    // One bound, plus a margin for a loaded machine: not two.
    for (const answer of answers) expect(answer.ms).toBeLessThan(BOUND_MS * 1.8);
    // "Unknown" was the truth: Redis ran the append once it woke up.
    await expect.poll(async () => (await ctx.app.remembr.memory.read(userId, sessionId))!.messages.length).toBe(2);
  });
});
