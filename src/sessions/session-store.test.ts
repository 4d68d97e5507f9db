import { describe, expect, it } from 'vitest';
import { cachedBackends, openRedisStore, useStore, untilNoticedDown } from '../../test/support/stores.js';
import { startRedisServer } from '../../test/support/redis-server.js';
import { StoreUnavailableError, ValidationError } from '../errors.js';
import { LONG_TERM_TTL, SESSION_TTL } from '../keys.js';
import { ShortTermMemory } from '../memory/short-term-memory.js';
import { Metrics } from '../observability/metrics.js';
import type { Store } from '../store/port.js';
import { ownedKeys, sessionIndexKey, sessionKeys } from './session-keys.js';
import { SessionStore } from './session-store.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it holds (generous: the machine may be busy), then returns; fails the test after `timeoutMs`. */
async function until(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const giveUp = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > giveUp) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** Each test gets users of its own, so tests sharing a store never see each other's sessions. */
let users = 0;
const newUser = (name: string) => `${name}-${process.pid}-${++users}`;

async function existing(store: Store, keys: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const key of keys) if (await store.exists(key)) found.push(key);
  return found;
}

describe('session keys', () => {
  it('put everything of one user under that user’s hash tag', () => {
    const keys = [...ownedKeys(sessionKeys('alice', 'abc')), sessionIndexKey('alice')];
    for (const key of keys) expect(key).toContain(':{alice}');
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('refuse crafted ids instead of building a key from them', () => {
    for (const crafted of ['a:b', '*', 'x?', '[a]', '{alice}', '', 'a'.repeat(129), 'a b']) {
      expect(() => sessionKeys('alice', crafted)).toThrow(ValidationError);
      expect(() => sessionKeys(crafted, 'abc')).toThrow(ValidationError);
    }
  });
});

describe.each(cachedBackends)('SessionStore on %s', (backend) => {
  const ctx = useStore(backend);
  const sessions = (options: ConstructorParameters<typeof SessionStore>[1] = {}) => new SessionStore(ctx.store, options);

  it('creates a session and reads it back with its remaining TTL', async () => {
    const alice = newUser('alice');
    const created = await sessions().create(alice, { agentId: 'agent-1', metadata: { topic: 'billing', depth: 2 } });
    expect(created).toEqual({
      sessionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      userId: alice,
      agentId: 'agent-1',
      metadata: { topic: 'billing', depth: 2 },
      tokenEncoding: 'cl100k_base',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      expiresIn: SESSION_TTL,
    });
    const read = await sessions().get(alice, created.sessionId);
    expect(read).toEqual({ ...created, expiresIn: expect.any(Number) });
    expect(read!.expiresIn).toBeGreaterThan(SESSION_TTL - 5);
    expect(read!.expiresIn).toBeLessThanOrEqual(SESSION_TTL);
    expect(await ctx.store.ttl(sessionKeys(alice, created.sessionId).session)).toBeGreaterThan(SESSION_TTL - 5);
  });

  it('defaults metadata to an empty object and refuses bad input naming the field', async () => {
    const alice = newUser('alice');
    expect((await sessions().create(alice, { agentId: 'a' })).metadata).toEqual({});
    await expect(sessions().create(alice, { agentId: '' })).rejects.toMatchObject({ field: 'agent_id' });
    await expect(sessions().create(alice, { agentId: 'a:b' })).rejects.toMatchObject({ field: 'agent_id' });
    await expect(sessions().create(alice, { agentId: 'a', metadata: [] as never })).rejects.toMatchObject({ field: 'metadata' });
    await expect(sessions({ maxMetadataBytes: 100 }).create(alice, { agentId: 'a', metadata: { text: 'x'.repeat(200) } })).rejects.toMatchObject({
      field: 'metadata',
    });
    await expect(sessions().create(alice, { agentId: 'a', metadata: { n: Number.NaN } })).rejects.toMatchObject({ field: 'metadata' });
    expect(await sessions().list(alice)).toHaveLength(1);
  });

  it('answers null for a missing session and for another user’s', async () => {
    const [alice, bob] = [newUser('alice'), newUser('bob')];
    const created = await sessions().create(alice, { agentId: 'a' });
    expect(await sessions().get(alice, 'no-such-session')).toBeNull();
    expect(await sessions().get(bob, created.sessionId)).toBeNull();
    expect(await sessions().refresh(bob, created.sessionId)).toBeNull();
    expect(await sessions().delete(bob, created.sessionId)).toBe(false);
    expect(await sessions().get(alice, created.sessionId)).not.toBeNull();
  });

  it('expires a session after its TTL', async () => {
    const alice = newUser('alice');
    const store = sessions({ ttlSeconds: 1 });
    const created = await store.create(alice, { agentId: 'a' });
    expect(created.expiresIn).toBe(1);
    await sleep(1150);
    expect(await store.get(alice, created.sessionId)).toBeNull();
    expect(await store.refresh(alice, created.sessionId)).toBeNull();
    expect(await store.list(alice)).toEqual([]);
  });

  it('counts each expired session once, when its id leaves the user index: a list or a create drops it', async () => {
    const alice = newUser('alice');
    const metrics = new Metrics();
    const expired = () => metrics.value('remembr_session_expirations_total');
    const short = sessions({ ttlSeconds: 1, retainExpiredSeconds: 1, metrics });
    const long = sessions({ ttlSeconds: 300, retainExpiredSeconds: 1, metrics });
    await short.create(alice, { agentId: 'a' });
    const kept = await long.create(alice, { agentId: 'b' });
    expect(expired()).toBe(0);
    // The index lets an id go retainExpiredSeconds after its session expired, at the next read: the poll is that read.
    await until(async () => (await long.list(alice), expired() >= 1));
    expect((await long.list(alice)).map((s) => s.sessionId)).toEqual([kept.sessionId]);
    expect(expired()).toBe(1);

    await short.create(alice, { agentId: 'c' });
    await short.create(alice, { agentId: 'd' });
    await until(async () => (await long.create(alice, { agentId: 'poll' }), expired() >= 3));
    await long.list(alice);
    expect(expired()).toBe(3);
    // A deleted session is a delete, not an expiry, and live ones are not counted.
    expect(await long.delete(alice, kept.sessionId)).toBe(true);
    await long.deleteAll(alice);
    expect(expired()).toBe(3);
    expect(metrics.value('remembr_session_operations_total', { operation: 'delete' })).toBeGreaterThan(1);
  });

  // Regression: after 31 idle minutes a session answered expires_in 3600 while its window (TTL 1800) was gone.
  it('refresh extends the session and its window to the session TTL: the window lives as long as its session', async () => {
    const alice = newUser('alice');
    const store = sessions({ ttlSeconds: 300, windowTtlSeconds: 200 });
    const memory = new ShortTermMemory(ctx.store, { ttlSeconds: 200 });
    const created = await store.create(alice, { agentId: 'a' });
    await memory.append(alice, created.sessionId, { role: 'user', content: 'hello' });
    const keys = sessionKeys(alice, created.sessionId);
    await ctx.store.expire(keys.session, 10);
    await ctx.store.expire(keys.conversation, 5);
    expect((await store.get(alice, created.sessionId))!.expiresIn).toBeLessThanOrEqual(10);

    const refreshed = await store.refresh(alice, created.sessionId);
    expect(refreshed).toEqual({ ...created, expiresIn: 300 });
    expect(await ctx.store.ttl(keys.session)).toBeGreaterThan(295);
    expect(await ctx.store.ttl(keys.conversation)).toBeGreaterThan(295);
    expect(await ctx.store.ttl(keys.conversation)).toBeLessThanOrEqual(300);
    // The index records the new expiry, so list reports it too.
    expect((await store.list(alice))[0]!.expiresIn).toBeGreaterThan(295);
  });

  it('delete removes the session with its window and checkpoints, in one step', async () => {
    const alice = newUser('alice');
    const memory = new ShortTermMemory(ctx.store);
    const created = await sessions().create(alice, { agentId: 'a' });
    await memory.append(alice, created.sessionId, { role: 'system', content: 'be brief' });
    await memory.append(alice, created.sessionId, { role: 'user', content: 'hi' });
    await memory.checkpoint(alice, created.sessionId);
    const keys = ownedKeys(sessionKeys(alice, created.sessionId));
    // The eviction buffer exists once something was evicted; nothing was here.
    expect(await existing(ctx.store, keys)).toEqual(keys.filter((key) => key !== sessionKeys(alice, created.sessionId).evicted));

    expect(await sessions().delete(alice, created.sessionId)).toBe(true);
    expect(await existing(ctx.store, keys)).toEqual([]);
    expect(await sessions().get(alice, created.sessionId)).toBeNull();
    expect(await sessions().list(alice)).toEqual([]);
    expect(await sessions().delete(alice, created.sessionId)).toBe(false);
  });

  it('lists only the caller’s live sessions', async () => {
    const [alice, bob] = [newUser('alice'), newUser('bob')];
    const a1 = await sessions().create(alice, { agentId: 'one' });
    const a2 = await sessions().create(alice, { agentId: 'two', metadata: { k: 'v' } });
    await sessions().create(bob, { agentId: 'three' });
    // Two seconds, so a busy machine still lists it before it expires.
    const short = await sessions({ ttlSeconds: 2 }).create(alice, { agentId: 'short' });
    expect((await sessions().list(alice)).map((s) => s.sessionId).sort()).toEqual([a1.sessionId, a2.sessionId, short.sessionId].sort());
    await sleep(2150);
    const listed = await sessions().list(alice);
    expect(listed.map((s) => s.sessionId).sort()).toEqual([a1.sessionId, a2.sessionId].sort());
    expect(listed.find((s) => s.sessionId === a2.sessionId)).toEqual({ ...a2, expiresIn: expect.any(Number) });
    expect(await sessions().list(newUser('nobody'))).toEqual([]);
  });

  it('creates 50 sessions at once, each listed once', async () => {
    const alice = newUser('alice');
    const created = await Promise.all(Array.from({ length: 50 }, (_, i) => sessions().create(alice, { agentId: `agent-${i}` })));
    const listed = await sessions().list(alice);
    expect(listed.map((s) => s.sessionId).sort()).toEqual(created.map((s) => s.sessionId).sort());
  });

  it('deleteAll removes every session of the user in batches and nothing of another user', async () => {
    const [alice, bob] = [newUser('alice'), newUser('bob')];
    const memory = new ShortTermMemory(ctx.store);
    const store = sessions({ deleteBatchSize: 7 });
    const mine = await Promise.all(Array.from({ length: 25 }, () => store.create(alice, { agentId: 'a' })));
    await memory.append(alice, mine[0]!.sessionId, { role: 'user', content: 'mine' });
    const theirs = await Promise.all(Array.from({ length: 3 }, () => store.create(bob, { agentId: 'b' })));
    await memory.append(bob, theirs[0]!.sessionId, { role: 'user', content: 'theirs' });
    await memory.checkpoint(bob, theirs[0]!.sessionId);

    expect(await store.deleteAll(alice)).toBe(25);
    expect(await store.list(alice)).toEqual([]);
    const aliceKeys = [...mine.flatMap((s) => ownedKeys(sessionKeys(alice, s.sessionId))), sessionIndexKey(alice)];
    expect(await existing(ctx.store, aliceKeys)).toEqual([]);

    expect((await store.list(bob)).length).toBe(3);
    expect((await memory.read(bob, theirs[0]!.sessionId))!.messages.map((m) => m.content)).toEqual(['theirs']);
    expect(await memory.listCheckpoints(bob, theirs[0]!.sessionId)).toHaveLength(1);
    expect(await store.deleteAll(alice)).toBe(0);
  });

  it('deleteAll also clears the checkpoints an expired session left behind', async () => {
    const alice = newUser('alice');
    const memory = new ShortTermMemory(ctx.store);
    const created = await sessions({ ttlSeconds: 2 }).create(alice, { agentId: 'a' });
    await memory.append(alice, created.sessionId, { role: 'user', content: 'hi' });
    expect(await memory.checkpoint(alice, created.sessionId)).not.toBeNull();
    await sleep(2150);
    const keys = sessionKeys(alice, created.sessionId);
    expect(await existing(ctx.store, [keys.session, keys.checkpoints, keys.snapshots])).toEqual([keys.checkpoints, keys.snapshots]);
    // It was not live, so it is not counted, but nothing of it stays.
    expect(await sessions().deleteAll(alice)).toBe(0);
    expect(await existing(ctx.store, ownedKeys(keys))).toEqual([]);
  });

  it('keeps the user index no longer than its longest-lived entry needs', async () => {
    const alice = newUser('alice');
    await sessions({ ttlSeconds: 60 }).create(alice, { agentId: 'a' });
    const ttl = await ctx.store.ttl(sessionIndexKey(alice));
    expect(ttl).toBeGreaterThan(60 + LONG_TERM_TTL - 5);
    expect(ttl).toBeLessThanOrEqual(60 + LONG_TERM_TTL);
  });

  it('refuses a crafted session id before it reaches the store', async () => {
    const alice = newUser('alice');
    for (const crafted of ['*', 'a:b', '{x}', 'a?', '[a]', '']) {
      await expect(sessions().get(alice, crafted)).rejects.toBeInstanceOf(ValidationError);
      await expect(sessions().delete(alice, crafted)).rejects.toBeInstanceOf(ValidationError);
    }
  });
});

describe('SessionStore when Redis goes away', () => {
  it('rejects with StoreUnavailableError instead of pretending', async () => {
    const server = await startRedisServer();
    const store = openRedisStore(server.url, { commandTimeoutMs: 300 });
    await store.connect(5000);
    try {
      const sessions = new SessionStore(store);
      const created = await sessions.create('alice', { agentId: 'a' });
      await server.kill();
      await untilNoticedDown(store);
      await expect(sessions.create('alice', { agentId: 'a' })).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(sessions.get('alice', created.sessionId)).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(sessions.refresh('alice', created.sessionId)).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(sessions.list('alice')).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(sessions.deleteAll('alice')).rejects.toBeInstanceOf(StoreUnavailableError);
      await server.start();
    } finally {
      await store.close();
      await server.stop();
    }
  });
});
