import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { asAlice, asBob, useApp } from '../../test/support/app.js';
import { backends } from '../../test/support/stores.js';

describe.each(backends)('Idempotency-Key on every write route (%s)', (backend) => {
  const ctx = useApp(backend);
  const call = (method: string, url: string, options: { key?: string; payload?: unknown; as?: Record<string, string> } = {}) =>
    ctx.app.inject({
      method: method as 'POST',
      url: `/api/v1${url}`,
      headers: { ...(options.as ?? asAlice), ...(options.key === undefined ? {} : { 'idempotency-key': options.key }) },
      payload: options.payload as object,
    });
  const newSession = async () => (await call('POST', '/sessions', { payload: { agent_id: 'a' } })).json().session_id as string;
  /** Status and body, but for an error body's request_id, which names each request (the retry is another). */
  const answer = (res: { statusCode: number; json: () => any }) => {
    const body = res.json();
    if (body?.error) delete body.error.request_id;
    return { status: res.statusCode, body };
  };

  it('answers a retried write with the same status and body, and applies it once', async () => {
    const id = await newSession();
    const key = randomUUID();
    const payload = { role: 'user', content: 'exactly once' };
    const first = await call('POST', `/sessions/${id}/messages`, { key, payload });
    const retry = await call('POST', `/sessions/${id}/messages`, { key, payload });
    expect(first.statusCode).toBe(201);
    expect(answer(retry)).toEqual(answer(first));
    expect((await call('GET', `/sessions/${id}/messages`)).json().messages).toHaveLength(1);
  });

  it('takes the structured-field form ("…") of the key as the same key', async () => {
    const key = randomUUID();
    const first = await call('POST', '/sessions', { key, payload: { agent_id: 'q' } });
    const quoted = await call('POST', '/sessions', { key: `"${key}"`, payload: { agent_id: 'q' } });
    expect(answer(quoted)).toEqual(answer(first));
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED for the same key with another body, and applies nothing', async () => {
    const id = await newSession();
    const key = randomUUID();
    await call('POST', `/sessions/${id}/messages`, { key, payload: { role: 'user', content: 'first' } });
    const reused = await call('POST', `/sessions/${id}/messages`, { key, payload: { role: 'user', content: 'second' } });
    expect(reused.statusCode).toBe(422);
    expect(reused.json().error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', message: expect.stringMatching(/already used for a different request/) });
    // The same key on another route is a reuse too.
    expect((await call('POST', `/sessions/${id}/checkpoints`, { key })).statusCode).toBe(422);
    expect((await call('GET', `/sessions/${id}/messages`)).json().messages.map((m: { content: string }) => m.content)).toEqual(['first']);
  });

  it('refuses a malformed key with 400 naming the header, before anything is written', async () => {
    for (const key of ['', 'x'.repeat(256), 'clé']) {
      const res = await call('POST', '/sessions', { key, payload: { agent_id: 'bad-key' } });
      expect(res.statusCode, JSON.stringify(key)).toBe(400);
      expect(res.json().error.message).toMatch(/Idempotency-Key/);
    }
    expect((await call('GET', '/sessions')).json().sessions.filter((s: { agent_id: string }) => s.agent_id === 'bad-key')).toEqual([]);
  });

  it('records the first outcome even when it is an error: a retry of a 404 is the same 404', async () => {
    const key = randomUUID();
    const first = await call('POST', '/sessions/missing-session/messages', { key, payload: { role: 'user', content: 'x' } });
    expect(first.statusCode).toBe(404);
    expect(answer(await call('POST', '/sessions/missing-session/messages', { key, payload: { role: 'user', content: 'x' } }))).toEqual(answer(first));
  });

  it('covers session create and delete, checkpoints, restore and task results', async () => {
    const key = () => randomUUID();
    const created = key();
    const session = await call('POST', '/sessions', { key: created, payload: { agent_id: 'all' } });
    expect(answer(await call('POST', '/sessions', { key: created, payload: { agent_id: 'all' } }))).toEqual(answer(session));
    const id = session.json().session_id as string;
    await call('POST', `/sessions/${id}/messages`, { payload: { role: 'user', content: 'kept' } });
    const saved = key();
    const checkpoint = await call('POST', `/sessions/${id}/checkpoints`, { key: saved });
    expect(answer(await call('POST', `/sessions/${id}/checkpoints`, { key: saved }))).toEqual(answer(checkpoint));
    expect((await call('GET', `/sessions/${id}/checkpoints`)).json().checkpoints).toHaveLength(1);
    const restored = key();
    const restore = { checkpoint_id: checkpoint.json().checkpoint_id };
    expect((await call('POST', `/sessions/${id}/restore`, { key: restored, payload: restore })).statusCode).toBe(200);
    await call('POST', `/sessions/${id}/messages`, { payload: { role: 'user', content: 'after' } });
    expect((await call('POST', `/sessions/${id}/restore`, { key: restored, payload: restore })).statusCode).toBe(200);
    expect((await call('GET', `/sessions/${id}/messages`)).json().messages).toHaveLength(2);
    const put = key();
    expect((await call('PUT', '/tasks/job/result', { key: put, payload: { result: 'v1' } })).statusCode).toBe(201);
    expect((await call('PUT', '/tasks/job/result', { key: put, payload: { result: 'v2' } })).statusCode).toBe(422);
    const removed = key();
    expect((await call('DELETE', `/sessions/${id}`, { key: removed })).statusCode).toBe(204);
    expect((await call('DELETE', `/sessions/${id}`, { key: removed })).statusCode).toBe(204);
    expect((await call('DELETE', `/sessions/${id}`)).statusCode).toBe(404);
  });

  // Regression: a claim that answered 503 had consumed the result, and nobody ever received it.
  it('gives a claimed result again to a retry with the same key, and 404 to every other claimer', async () => {
    await call('PUT', '/tasks/claim-me/result', { payload: { result: { rows: 3 } } });
    const key = randomUUID();
    const claim = await call('DELETE', '/tasks/claim-me/result', { key });
    expect(answer(claim)).toEqual({ status: 200, body: { result: { rows: 3 } } });
    expect(answer(await call('DELETE', '/tasks/claim-me/result', { key }))).toEqual(answer(claim));
    expect((await call('DELETE', '/tasks/claim-me/result', { key: randomUUID() })).statusCode).toBe(404);
    expect((await call('DELETE', '/tasks/claim-me/result')).statusCode).toBe(404);
    // Bob's key space is his own: Alice's key means nothing there.
    expect((await call('DELETE', '/tasks/claim-me/result', { key, as: asBob })).statusCode).toBe(404);
  });

  it('documents the header on every write route in the OpenAPI description', async () => {
    const doc = (await ctx.app.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string }> }>> };
    const writes: Array<[string, string]> = [
      ['/api/v1/sessions', 'post'],
      ['/api/v1/sessions/{session_id}', 'delete'],
      ['/api/v1/sessions/{session_id}/messages', 'post'],
      ['/api/v1/sessions/{session_id}/checkpoints', 'post'],
      ['/api/v1/sessions/{session_id}/restore', 'post'],
      ['/api/v1/tasks/{task_id}/result', 'put'],
      ['/api/v1/tasks/{task_id}/result', 'delete'],
    ];
    for (const [path, method] of writes) {
      const parameters = doc.paths[path]?.[method]?.parameters ?? [];
      expect(parameters.some((p) => p.in === 'header' && p.name === 'idempotency-key'), `${method} ${path}`).toBe(true);
    }
  });
});
