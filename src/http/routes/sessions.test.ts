import { describe, expect, it } from 'vitest';
import { asAlice, asBob, useApp } from '../../../test/support/app.js';
import { backends, untilNoticedDown } from '../../../test/support/stores.js';
import { SESSION_TTL } from '../../keys.js';

describe.each(backends)('/api/v1/sessions on %s', (backend) => {
  const ctx = useApp(backend);
  const create = async (headers = asAlice, body: unknown = { agent_id: 'agent-7' }) => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/sessions', headers, payload: body as object });
    expect(res.statusCode).toBe(201);
    return res.json() as { session_id: string; expires_in: number; [field: string]: unknown };
  };
  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, headers = asAlice, payload?: object) =>
    ctx.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });

  it('POST /sessions starts a session for the caller', async () => {
    const res = await call('POST', '/sessions', asAlice, { agent_id: 'agent-7', metadata: { channel: 'chat', nested: { ok: [1, null] } } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      session_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      user_id: 'alice',
      agent_id: 'agent-7',
      metadata: { channel: 'chat', nested: { ok: [1, null] } },
      token_encoding: 'cl100k_base',
      created_at: expect.stringMatching(/Z$/),
      expires_in: SESSION_TTL,
    });
    expect((await create()).metadata).toEqual({});
  });

  it('POST /sessions takes a token_encoding for the session’s window; without one the session uses TOKEN_ENCODING', async () => {
    const text = 'नमस्ते दुनिया, आप कैसे हैं?';
    const tokens: Record<string, number> = {};
    for (const token_encoding of ['o200k_base', 'cl100k_base', undefined]) {
      const created = await create(asAlice, { agent_id: 'counter', ...(token_encoding ? { token_encoding } : {}) });
      expect(created.token_encoding).toBe(token_encoding ?? 'cl100k_base');
      expect((await call('GET', `/sessions/${created.session_id}`)).json().token_encoding).toBe(created.token_encoding);
      const appended = await call('POST', `/sessions/${created.session_id}/messages`, asAlice, { role: 'user', content: text });
      tokens[String(token_encoding)] = appended.json().message.tokens;
    }
    expect(tokens).toEqual({ o200k_base: 10, cl100k_base: 27, undefined: 27 });
    const bad = await call('POST', '/sessions', asAlice, { agent_id: 'counter', token_encoding: 'p50k_base' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details).toEqual([expect.objectContaining({ field: 'token_encoding', allowed: ['cl100k_base', 'o200k_base'] })]);
  });

  it('GET /sessions/{id} returns the session with the time it has left', async () => {
    const created = await create();
    const res = await call('GET', `/sessions/${created.session_id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ...created, expires_in: expect.any(Number) });
    expect(res.json().expires_in).toBeGreaterThan(SESSION_TTL - 5);
    expect(res.json().expires_in).toBeLessThanOrEqual(SESSION_TTL);
  });

  it('POST /sessions/{id}/refresh extends the TTL back to SESSION_TTL', async () => {
    const created = await create();
    const key = (await import('../../sessions/session-keys.js')).sessionKeys('alice', created.session_id).session;
    await ctx.app.remembr.store.expire(key, 30);
    expect((await call('GET', `/sessions/${created.session_id}`)).json().expires_in).toBeLessThanOrEqual(30);
    const res = await call('POST', `/sessions/${created.session_id}/refresh`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ...created, expires_in: SESSION_TTL });
    expect((await call('GET', `/sessions/${created.session_id}`)).json().expires_in).toBeGreaterThan(SESSION_TTL - 5);
  });

  it('DELETE /sessions/{id} answers 204 and the session, its window and checkpoints are gone', async () => {
    const created = await create();
    expect((await call('POST', `/sessions/${created.session_id}/messages`, asAlice, { role: 'user', content: 'hi' })).statusCode).toBe(201);
    expect((await call('POST', `/sessions/${created.session_id}/checkpoints`)).statusCode).toBe(201);
    const res = await call('DELETE', `/sessions/${created.session_id}`);
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    for (const [method, path] of [
      ['GET', ''],
      ['GET', '/messages'],
      ['GET', '/checkpoints'],
      ['DELETE', ''],
    ] as const) {
      expect((await call(method, `/sessions/${created.session_id}${path}`)).statusCode).toBe(404);
    }
    const { sessionKeys, ownedKeys } = await import('../../sessions/session-keys.js');
    for (const key of ownedKeys(sessionKeys('alice', created.session_id))) expect(await ctx.app.remembr.store.exists(key)).toBe(false);
  });

  it('GET /sessions lists the caller’s sessions and DELETE /sessions deletes only those', async () => {
    // Start from nothing: other tests in this file also made sessions for alice.
    await call('DELETE', '/sessions');
    const mine = [await create(), await create()];
    const bobs = await create(asBob);
    const listed = await call('GET', '/sessions');
    expect(listed.statusCode).toBe(200);
    expect(listed.json().sessions.map((s: { session_id: string }) => s.session_id).sort()).toEqual(mine.map((s) => s.session_id).sort());
    expect(listed.json().sessions[0]).toEqual(expect.objectContaining({ user_id: 'alice', agent_id: 'agent-7', expires_in: expect.any(Number) }));

    const deleted = await call('DELETE', '/sessions');
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json()).toEqual({ deleted: 2 });
    expect((await call('GET', '/sessions')).json()).toEqual({ sessions: [] });
    expect((await call('GET', `/sessions/${bobs.session_id}`, asBob)).statusCode).toBe(200);
    expect((await call('DELETE', '/sessions')).json()).toEqual({ deleted: 0 });
  });

  it('answers Bob exactly as for a missing session, and Bob can neither refresh nor delete Alice’s', async () => {
    const alices = await create();
    const missing = await call('GET', '/sessions/no-such-session', asBob);
    const res = await call('GET', `/sessions/${alices.session_id}`, asBob);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
    expect(res.json().error.message).toBe(missing.json().error.message);
    expect((await call('POST', `/sessions/${alices.session_id}/refresh`, asBob)).statusCode).toBe(404);
    expect((await call('DELETE', `/sessions/${alices.session_id}`, asBob)).statusCode).toBe(404);
    expect((await call('DELETE', '/sessions', asBob)).statusCode).toBe(200);
    expect((await call('GET', '/sessions', asBob)).json().sessions.map((s: { session_id: string }) => s.session_id)).not.toContain(alices.session_id);
    expect((await call('GET', `/sessions/${alices.session_id}`)).statusCode).toBe(200);
  });

  it('needs an API key', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/sessions' });
    expect(res.statusCode).toBe(401);
  });

  it('refuses crafted session ids with 400 before they reach the store', async () => {
    const alices = await create();
    const keysBefore = await allKeys();
    for (const crafted of ['a%3Ab', '*', 'a%3F', '%5Ba%5D', '%7Balice%7D', `${alices.session_id}%3A*`, 'a'.repeat(129), 'a%20b', '..%2F..']) {
      for (const [method, suffix] of [
        ['GET', ''],
        ['POST', '/refresh'],
        ['DELETE', ''],
      ] as const) {
        const res = await call(method, `/sessions/${crafted}${suffix}`);
        expect(res.statusCode, `${method} ${crafted}${suffix}`).toBe(400);
        expect(res.json().error).toMatchObject({ code: 'VALIDATION_ERROR', details: [expect.objectContaining({ location: 'params', field: 'session_id' })] });
      }
    }
    const empty = await call('POST', '/sessions//refresh');
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.details).toEqual([expect.objectContaining({ field: 'session_id' })]);
    // Far past any id, the router refuses before the schema runs, still in the one error shape.
    const huge = await call('GET', `/sessions/${'a'.repeat(300)}`);
    expect(huge.statusCode).toBe(414);
    expect(huge.json().error).toMatchObject({ code: 'VALIDATION_ERROR', request_id: expect.any(String) });
    expect(await allKeys()).toEqual(keysBefore);
    expect((await call('GET', `/sessions/${alices.session_id}`)).statusCode).toBe(200);
  });

  it('validates the body, naming each field', async () => {
    const cases: Array<[unknown, string]> = [
      [{}, 'agent_id'],
      [{ agent_id: '' }, 'agent_id'],
      [{ agent_id: 'a:b' }, 'agent_id'],
      [{ agent_id: 42 }, 'agent_id'],
      [{ agent_id: 'a', metadata: 'text' }, 'metadata'],
      [{ agent_id: 'a', metadata: [1] }, 'metadata'],
      [{ agent_id: 'a', extra: true }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const res = await call('POST', '/sessions', asAlice, body as object);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_ERROR');
      expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    const tooBig = await call('POST', '/sessions', asAlice, { agent_id: 'a', metadata: { blob: 'x'.repeat(20_000) } });
    expect(tooBig.statusCode).toBe(400);
    expect(tooBig.json().error.details).toEqual([expect.objectContaining({ field: 'metadata' })]);
    const query = await call('GET', '/sessions?page=2');
    expect(query.statusCode).toBe(400);
    expect(query.json().error.details).toEqual([expect.objectContaining({ location: 'querystring', field: 'page' })]);
  });

  async function allKeys(): Promise<string[]> {
    const keys: string[] = [];
    for await (const batch of ctx.app.remembr.store.scan('remembr:*', 500)) keys.push(...batch);
    return keys.sort();
  }
});

describe('/api/v1/sessions when Redis is down', () => {
  const ctx = useApp('redis', { redisCommandTimeoutMs: 300 });

  it('answers 503 instead of pretending', async () => {
    const created = await ctx.app.inject({ method: 'POST', url: '/api/v1/sessions', headers: asAlice, payload: { agent_id: 'a' } });
    expect(created.statusCode).toBe(201);
    await ctx.server!.kill();
    await untilNoticedDown(ctx.app.remembr.store);
    try {
      for (const [method, url] of [
        ['POST', '/api/v1/sessions'],
        ['GET', `/api/v1/sessions/${created.json().session_id}`],
        ['GET', '/api/v1/sessions'],
        ['DELETE', '/api/v1/sessions'],
      ] as const) {
        const res = await ctx.app.inject({ method, url, headers: asAlice, ...(method === 'POST' ? { payload: { agent_id: 'a' } } : {}) });
        expect(res.statusCode, `${method} ${url}`).toBe(503);
        expect(res.json().error.code).toBe('SERVICE_UNAVAILABLE');
      }
    } finally {
      await ctx.server!.start();
    }
  });
});
