import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { allBackends, uniqueNamespace, useStore } from '../../test/support/stores.js';
import { IdempotencyKeyReusedError, ValidationError } from '../errors.js';
import { hashTag, makeKey } from '../keys.js';
import { ShortTermMemory } from '../memory/short-term-memory.js';
import { SessionStore } from '../sessions/session-store.js';
import { defineScript } from '../store/script.js';
import { TaskResultStore } from '../tasks/task-result-store.js';
import { idempotencyRecordKey } from './idempotency-keys.js';
import { fingerprint, runOnce } from './once.js';

/** A script of the test's own, to show that any script gets exactly-once runs: adds ARGV[1] and answers the total. */
const addScript = defineScript('test-add', new URL('../../test/support/add.lua', import.meta.url), (db, [key], [by]) => db.incrBy(key!, Number(by)));

describe.each(allBackends)('exactly-once writes on %s', (backend) => {
  const ctx = useStore(backend);
  const services = () => ({
    sessions: new SessionStore(ctx.store),
    memory: new ShortTermMemory(ctx.store, { maxTokens: 1000 }),
    tasks: new TaskResultStore(ctx.store),
  });
  const once = (idempotencyKey: string = randomUUID()) => ({ idempotencyKey });
  const user = () => `u${uniqueNamespace()}`;

  it('runs any script once per key: a retry answers the first reply and arguments, without running again', async () => {
    const userId = user();
    const key = makeKey('test', hashTag(userId), 'total');
    const attempt = { userId, idempotencyKey: 'add-1', operation: 'test.add', request: { by: 5 }, ttlSeconds: 60 };
    const first = await runOnce(ctx.store, addScript, [key], [5, 'generated-a'], attempt);
    const retry = await runOnce(ctx.store, addScript, [key], [5, 'generated-b'], attempt);
    expect(first).toEqual({ args: ['5', 'generated-a'], reply: 5, replayed: false });
    expect(retry).toEqual({ args: ['5', 'generated-a'], reply: 5, replayed: true });
    expect(await ctx.store.get(key)).toBe('5');
    // Another key is another write; no key at all is a plain run.
    expect((await runOnce(ctx.store, addScript, [key], [5], { ...attempt, idempotencyKey: 'add-2' })).reply).toBe(10);
    expect((await runOnce(ctx.store, addScript, [key], [1], undefined)).reply).toBe(11);
    // The record lives under the user's hash tag, for the configured time.
    const record = idempotencyRecordKey(userId, 'add-1');
    expect(record).toContain(`{${userId}}`);
    const ttl = await ctx.store.ttl(record);
    expect(ttl).toBeGreaterThan(55);
    expect(ttl).toBeLessThanOrEqual(60);
  });

  it('refuses a key reused for another request, and applies nothing for it', async () => {
    const userId = user();
    const key = makeKey('test', hashTag(userId), 'total');
    const attempt = { userId, idempotencyKey: 'k', operation: 'test.add', request: { by: 5 }, ttlSeconds: 60 };
    await runOnce(ctx.store, addScript, [key], [5], attempt);
    await expect(runOnce(ctx.store, addScript, [key], [7], { ...attempt, request: { by: 7 } })).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    await expect(runOnce(ctx.store, addScript, [key], [5], { ...attempt, operation: 'test.other' })).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    expect(await ctx.store.get(key)).toBe('5');
  });

  it('keeps keys per user: the same key of two users is two writes', async () => {
    const { sessions, memory } = services();
    const [alice, bob] = [user(), user()];
    const [a, b] = await Promise.all([sessions.create(alice, { agentId: 'x' }), sessions.create(bob, { agentId: 'x' })]);
    const shared = once('same-key');
    await memory.append(alice, a.sessionId, { role: 'user', content: 'hi' }, shared);
    await memory.append(bob, b.sessionId, { role: 'user', content: 'hi' }, shared);
    expect((await memory.read(alice, a.sessionId))!.messages).toHaveLength(1);
    expect((await memory.read(bob, b.sessionId))!.messages).toHaveLength(1);
  });

  // Regression: a client that retried an append after a timeout stored the message twice.
  it('appends a message once however often, and however concurrently, it is retried with its key', async () => {
    const { sessions, memory } = services();
    const userId = user();
    const { sessionId } = await sessions.create(userId, { agentId: 'a' });
    const key = once();
    const answers = await Promise.all(Array.from({ length: 50 }, () => memory.append(userId, sessionId, { role: 'user', content: 'once' }, key)));
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    const window = (await memory.read(userId, sessionId))!;
    expect(window.messages.map((m) => [m.id, m.content])).toEqual([[answers[0]!.message.id, 'once']]);
    await expect(memory.append(userId, sessionId, { role: 'user', content: 'other' }, key)).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    expect((await memory.read(userId, sessionId))!.messages).toHaveLength(1);
  });

  it('creates a session once per key, answering the same session to a retry', async () => {
    const { sessions } = services();
    const userId = user();
    const key = once();
    const first = await sessions.create(userId, { agentId: 'a', metadata: { b: 1, a: 2 } }, key);
    // The same metadata with its keys in another order is the same request.
    const retry = await sessions.create(userId, { agentId: 'a', metadata: { a: 2, b: 1 } }, key);
    expect(retry).toEqual(first);
    expect((await sessions.list(userId)).map((s) => s.sessionId)).toEqual([first.sessionId]);
    await expect(sessions.create(userId, { agentId: 'b' }, key)).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
  });

  it('deletes a session once: the retry of a delete that went through answers true, not "missing"', async () => {
    const { sessions } = services();
    const userId = user();
    const { sessionId } = await sessions.create(userId, { agentId: 'a' });
    const key = once();
    expect(await sessions.delete(userId, sessionId, key)).toBe(true);
    expect(await sessions.delete(userId, sessionId, key)).toBe(true);
    expect(await sessions.delete(userId, sessionId)).toBe(false);
  });

  it('saves a checkpoint once, and a retried restore does not restore again over later messages', async () => {
    const { sessions, memory } = services();
    const userId = user();
    const { sessionId } = await sessions.create(userId, { agentId: 'a' });
    await memory.append(userId, sessionId, { role: 'user', content: 'one' });
    const key = once();
    const checkpoint = await memory.checkpoint(userId, sessionId, key);
    expect(await memory.checkpoint(userId, sessionId, key)).toEqual(checkpoint);
    expect(await memory.listCheckpoints(userId, sessionId)).toHaveLength(1);
    const restoreKey = once();
    expect(await memory.restore(userId, sessionId, checkpoint!.checkpointId, restoreKey)).toEqual({ restoredMessageCount: 1 });
    await memory.append(userId, sessionId, { role: 'user', content: 'two' });
    expect(await memory.restore(userId, sessionId, checkpoint!.checkpointId, restoreKey)).toEqual({ restoredMessageCount: 1 });
    expect((await memory.read(userId, sessionId))!.messages.map((m) => m.content)).toEqual(['one', 'two']);
  });

  it('hands a claimed result again to a retry with the claim key, and to nobody else', async () => {
    const { tasks } = services();
    const userId = user();
    const taskId = uniqueNamespace();
    await tasks.put(userId, taskId, { answer: 42 });
    const claim = once();
    expect(await tasks.take(userId, taskId, claim)).toEqual({ result: { answer: 42 } });
    expect(await tasks.take(userId, taskId, claim)).toEqual({ result: { answer: 42 } });
    expect(await tasks.take(userId, taskId, once())).toBeNull();
    expect(await tasks.take(userId, taskId)).toBeNull();
    expect(await tasks.peek(userId, taskId)).toBeNull();
  });

  it('among 20 concurrent claimers with keys, each retrying twice, exactly one key ever receives the result', async () => {
    const { tasks } = services();
    const userId = user();
    const taskId = uniqueNamespace();
    await tasks.put(userId, taskId, 'prize');
    const claimers = Array.from({ length: 20 }, () => once());
    const rounds = await Promise.all(claimers.map(async (key) => [await tasks.take(userId, taskId, key), await tasks.take(userId, taskId, key), await tasks.take(userId, taskId, key)]));
    const winners = rounds.filter((answers) => answers[0] !== null);
    expect(winners).toEqual([[{ result: 'prize' }, { result: 'prize' }, { result: 'prize' }]]);
    expect(rounds.filter((answers) => answers.every((answer) => answer === null))).toHaveLength(19);
  });

  it('does not put back a result claimed between a put and its retry', async () => {
    const { tasks } = services();
    const userId = user();
    const taskId = uniqueNamespace();
    const key = once();
    await tasks.put(userId, taskId, 'v1', 600, key);
    expect(await tasks.take(userId, taskId)).toEqual({ result: 'v1' });
    expect(await tasks.put(userId, taskId, 'v1', 600, key)).toEqual({ ttlSeconds: 600 });
    expect(await tasks.peek(userId, taskId)).toBeNull();
    await expect(tasks.put(userId, taskId, 'v2', 600, key)).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
  });

  it('refuses a key that is empty, too long or not printable ASCII', async () => {
    const { tasks } = services();
    for (const idempotencyKey of ['', 'x'.repeat(256), 'tab\there', 'é']) {
      await expect(tasks.put(user(), 't', 1, 60, { idempotencyKey })).rejects.toBeInstanceOf(ValidationError);
    }
  });
});

describe('fingerprint', () => {
  it('is the same for the same input in any key order, and differs for other input or another operation', () => {
    expect(fingerprint('op', { a: 1, b: { c: [1, 2], d: null } })).toBe(fingerprint('op', { b: { d: null, c: [1, 2] }, a: 1 }));
    expect(fingerprint('op', { a: 1 })).not.toBe(fingerprint('op', { a: 2 }));
    expect(fingerprint('op', { a: 1 })).not.toBe(fingerprint('other', { a: 1 }));
    expect(fingerprint('op', { a: [1, 2] })).not.toBe(fingerprint('op', { a: [2, 1] }));
  });
});
