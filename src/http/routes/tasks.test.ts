import { describe, expect, it } from 'vitest';
import { asAlice, asBob, useApp } from '../../../test/support/app.js';
import { backends, uniqueNamespace, untilNoticedDown } from '../../../test/support/stores.js';
import { hashTag, LONG_TERM_TTL, makeKey, SHORT_TERM_TTL } from '../../index.js';

const url = (taskId: string) => `/api/v1/tasks/${taskId}/result`;

describe.each(backends)('task result routes on %s', (backend) => {
  const ctx = useApp(backend);
  const put = (taskId: string, payload: unknown, headers = asAlice) =>
    ctx.app.inject({ method: 'PUT', url: url(taskId), headers, payload: payload as object });
  const get = (taskId: string, headers = asAlice) => ctx.app.inject({ method: 'GET', url: url(taskId), headers });
  const claim = (taskId: string, headers = asAlice) => ctx.app.inject({ method: 'DELETE', url: url(taskId), headers });

  it('stores a result, lets it be read, then claimed once', async () => {
    const id = uniqueNamespace();
    const stored = await put(id, { result: { summary: 'done', items: [1, 2] } });
    expect(stored.statusCode).toBe(201);
    expect(stored.json()).toEqual({ task_id: id, expires_in: SHORT_TERM_TTL });
    expect((await get(id)).json()).toEqual({ result: { summary: 'done', items: [1, 2] } });
    expect((await get(id)).statusCode).toBe(200);
    const claimed = await claim(id);
    expect(claimed.statusCode).toBe(200);
    expect(claimed.json()).toEqual({ result: { summary: 'done', items: [1, 2] } });
    for (const after of [await claim(id), await get(id)]) {
      expect(after.statusCode).toBe(404);
      expect(after.json().error.code).toBe('NOT_FOUND');
    }
  });

  it('keeps any JSON, null, false, 0 and "" included, apart from a missing result', async () => {
    for (const result of [null, false, 0, '', [], {}, 'text', -1.5, { deep: { er: [null, true] } }]) {
      const id = uniqueNamespace();
      expect((await put(id, { result })).statusCode).toBe(201);
      const read = await get(id);
      expect(read.statusCode).toBe(200);
      expect(read.json()).toEqual({ result });
      expect((await claim(id)).json()).toEqual({ result });
    }
  });

  it('keeps a result for ttl_seconds, up to LONG_TERM_TTL', async () => {
    const id = uniqueNamespace();
    expect((await put(id, { result: 1, ttl_seconds: 90 })).json()).toEqual({ task_id: id, expires_in: 90 });
    const ttl = await ctx.app.redis.ttl(makeKey('task', hashTag('alice'), id, 'result'));
    expect(ttl).toBeGreaterThan(85);
    expect(ttl).toBeLessThanOrEqual(90);
    expect((await put(id, { result: 2, ttl_seconds: LONG_TERM_TTL })).statusCode).toBe(201);
    expect(await ctx.app.redis.ttl(makeKey('task', hashTag('alice'), id, 'result'))).toBeGreaterThan(LONG_TERM_TTL - 5);
  });

  it('hands the result to exactly one of 20 concurrent claimers', async () => {
    const id = uniqueNamespace();
    await put(id, { result: { winner: true } });
    const responses = await Promise.all(Array.from({ length: 20 }, () => claim(id)));
    const winners = responses.filter((res) => res.statusCode === 200);
    expect(winners).toHaveLength(1);
    expect(winners[0]!.json()).toEqual({ result: { winner: true } });
    expect(responses.filter((res) => res.statusCode === 404)).toHaveLength(19);
  });

  it("answers another user's task exactly like a missing one, and never touches it", async () => {
    const id = uniqueNamespace();
    await put(id, { result: 'alice only' });
    const foreign = [await get(id, asBob), await claim(id, asBob)];
    const missing = [await get(uniqueNamespace(), asBob), await claim(uniqueNamespace(), asBob)];
    for (const [i, res] of foreign.entries()) {
      expect(res.statusCode).toBe(404);
      expect({ ...res.json().error, request_id: null }).toEqual({ ...missing[i]!.json().error, request_id: null });
    }
    expect((await put(id, { result: 'bob too' }, asBob)).statusCode).toBe(201);
    expect((await get(id)).json()).toEqual({ result: 'alice only' });
    expect((await claim(id, asBob)).json()).toEqual({ result: 'bob too' });
    expect((await claim(id)).json()).toEqual({ result: 'alice only' });
  });

  it('refuses a bad ttl_seconds naming the field, and writes nothing', async () => {
    const id = uniqueNamespace();
    for (const ttl of [0, -5, 1.5, '60', null, true, LONG_TERM_TTL + 1]) {
      const res = await put(id, { result: 'x', ttl_seconds: ttl });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_ERROR');
      expect(res.json().error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'ttl_seconds' })]));
    }
    expect((await put(id, { result: 'x', ttl_seconds: LONG_TERM_TTL + 1 })).json().error.message).toContain(String(LONG_TERM_TTL));
    expect((await get(id)).statusCode).toBe(404);
  });

  it('refuses a body without result, with other fields, or that is not a JSON object', async () => {
    const id = uniqueNamespace();
    const missing = await put(id, {});
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details).toEqual([expect.objectContaining({ field: 'result' })]);
    const extra = await put(id, { result: 1, owner: 'bob' });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().error.details).toEqual([expect.objectContaining({ field: 'owner' })]);
    for (const payload of ['[1]', '"result"', 'null', '{"result":']) {
      const res = await ctx.app.inject({ method: 'PUT', url: url(id), headers: { ...asAlice, 'content-type': 'application/json' }, payload });
      expect(res.statusCode).toBe(400);
    }
    expect((await ctx.app.inject({ method: 'PUT', url: url(id), headers: asAlice })).statusCode).toBe(400);
    expect((await get(id)).statusCode).toBe(404);
  });

  it('refuses a task id that could reach another key, naming task_id', async () => {
    for (const id of ['a%3Ab', '%2A', '%7Bx%7D', 'a%20b', 'x'.repeat(129), '%E2%9C%93', 'a%5B1%5D']) {
      for (const res of [await put(id, { result: 1 }), await get(id), await claim(id)]) {
        expect(res.statusCode).toBe(400);
        expect(res.json().error.details).toEqual([expect.objectContaining({ field: 'task_id' })]);
      }
    }
  });

  it('asks for a key', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: url('x') });
    expect(res.statusCode).toBe(401);
  });
});

describe('task result routes with Redis gone', () => {
  const ctx = useApp('redis', { redisCommandTimeoutMs: 300 });

  it('answers 503, never a made-up miss', async () => {
    await ctx.app.inject({ method: 'PUT', url: url('kept'), headers: asAlice, payload: { result: 1 } });
    await ctx.server!.kill();
    await untilNoticedDown(ctx.app.remembr.store);
    for (const method of ['PUT', 'GET', 'DELETE'] as const) {
      const res = await ctx.app.inject({ method, url: url('kept'), headers: asAlice, ...(method === 'PUT' ? { payload: { result: 2 } } : {}) });
      expect(res.statusCode).toBe(503);
      expect(res.json().error.code).toBe('SERVICE_UNAVAILABLE');
    }
  });
});
