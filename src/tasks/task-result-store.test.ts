import { describe, expect, it } from 'vitest';
import { startRedisServer } from '../../test/support/redis-server.js';
import { allBackends, openRedisStore, uniqueNamespace, useStore, untilNoticedDown } from '../../test/support/stores.js';
import { StoreUnavailableError } from '../errors.js';
import { LONG_TERM_TTL, SHORT_TERM_TTL } from '../keys.js';
import { TaskResultStore } from './task-result-store.js';

describe.each(allBackends)('TaskResultStore on %s', (backend) => {
  const ctx = useStore(backend);
  const tasks = () => new TaskResultStore(ctx.store);
  /** A task id no other test uses. */
  const task = () => uniqueNamespace();

  it('keeps a result for SHORT_TERM_TTL unless told otherwise, and peeking leaves it there', async () => {
    const id = task();
    expect(await tasks().put('alice', id, { summary: 'done', rows: [1, 2, 3] })).toEqual({ ttlSeconds: SHORT_TERM_TTL });
    expect(await tasks().peek('alice', id)).toEqual({ result: { summary: 'done', rows: [1, 2, 3] } });
    expect(await tasks().peek('alice', id)).toEqual({ result: { summary: 'done', rows: [1, 2, 3] } });
    const left = await tasks().expiresIn('alice', id);
    expect(left).toBeGreaterThan(SHORT_TERM_TTL - 5);
    expect(left).toBeLessThanOrEqual(SHORT_TERM_TTL);
  });

  it('tells a stored null, false, 0 or empty string apart from no result', async () => {
    for (const value of [null, false, 0, '', [], {}]) {
      const id = task();
      await tasks().put('alice', id, value);
      expect(await tasks().peek('alice', id)).toEqual({ result: value });
      expect(await tasks().take('alice', id)).toEqual({ result: value });
      expect(await tasks().take('alice', id)).toBeNull();
    }
    expect(await tasks().peek('alice', task())).toBeNull();
  });

  it('hands a result to exactly one of 20 concurrent takers', async () => {
    const id = task();
    await tasks().put('alice', id, { answer: 42 });
    const claims = await Promise.all(Array.from({ length: 20 }, () => tasks().take('alice', id)));
    expect(claims.filter((claim) => claim !== null)).toEqual([{ result: { answer: 42 } }]);
    expect(await tasks().peek('alice', id)).toBeNull();
  });

  it("answers another user's task id as a miss and never touches it", async () => {
    const id = task();
    await tasks().put('alice', id, 'secret');
    expect(await tasks().peek('bob', id)).toBeNull();
    expect(await tasks().take('bob', id)).toBeNull();
    expect(await tasks().expiresIn('bob', id)).toBeNull();
    await tasks().put('bob', id, 'his own');
    expect(await tasks().take('alice', id)).toEqual({ result: 'secret' });
    expect(await tasks().take('bob', id)).toEqual({ result: 'his own' });
  });

  it('replaces a result put again, with the new TTL', async () => {
    const id = task();
    await tasks().put('alice', id, 'first', 600);
    await tasks().put('alice', id, 'second', 30);
    expect(await tasks().peek('alice', id)).toEqual({ result: 'second' });
    expect(await tasks().expiresIn('alice', id)).toBeLessThanOrEqual(30);
  });

  it('forgets a result when its TTL ends', async () => {
    const id = task();
    await tasks().put('alice', id, 'brief', 1);
    await new Promise((resolve) => setTimeout(resolve, 1150));
    expect(await tasks().peek('alice', id)).toBeNull();
  });

  it('refuses bad ids, TTLs and values, writing nothing', async () => {
    const id = task();
    for (const bad of ['', 'a:b', 'a*', '{x}', 'x'.repeat(129), 'a b']) {
      await expect(tasks().put('alice', bad, 1)).rejects.toMatchObject({ name: 'ValidationError', field: 'taskId' });
      await expect(tasks().take(bad, id)).rejects.toMatchObject({ name: 'ValidationError', field: 'userId' });
    }
    for (const ttl of [0, -1, 1.5, Number.NaN, LONG_TERM_TTL + 1]) {
      await expect(tasks().put('alice', id, 1, ttl)).rejects.toMatchObject({ name: 'ValidationError', field: 'ttlSeconds' });
    }
    await expect(tasks().put('alice', id, LONG_TERM_TTL + 1, LONG_TERM_TTL + 1)).rejects.toThrow(`at most ${LONG_TERM_TTL}`);
    for (const value of [undefined, 10n, { n: Number.NaN }, [undefined], () => 1]) {
      await expect(tasks().put('alice', id, value)).rejects.toMatchObject({ name: 'ValidationError', field: 'result' });
    }
    expect(await tasks().peek('alice', id)).toBeNull();
    await tasks().put('alice', id, 'fits', LONG_TERM_TTL);
    expect(await tasks().peek('alice', id)).toEqual({ result: 'fits' });
  });
});

describe('TaskResultStore when Redis is gone', () => {
  it('rejects with StoreUnavailableError instead of answering "no result"', async () => {
    const server = await startRedisServer();
    const store = openRedisStore(server.url, { commandTimeoutMs: 300 });
    try {
      await store.connect(5000);
      const tasks = new TaskResultStore(store);
      await tasks.put('alice', 'job-1', { ok: true });
      await server.kill();
      await untilNoticedDown(store);
      await expect(tasks.peek('alice', 'job-1')).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(tasks.take('alice', 'job-1')).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(tasks.put('alice', 'job-2', 1)).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      await store.close();
      await server.stop();
    }
  });
});
