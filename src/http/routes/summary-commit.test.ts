import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { asAlice, useApp } from '../../../test/support/app.js';
import { backends } from '../../../test/support/stores.js';

describe.each(backends)('POST /api/v1/sessions/{id}/summary with an Idempotency-Key on %s', (backend) => {
  const ctx = useApp(backend, { shortTermMaxTokens: 30 });
  const call = (method: 'GET' | 'POST', url: string, payload?: object, key?: string) =>
    ctx.app.inject({ method, url: `/api/v1${url}`, headers: { ...asAlice, ...(key ? { 'idempotency-key': key } : {}) }, ...(payload ? { payload } : {}) });

  it('answers a retry with the first commit’s status and body and commits once; another body under the key is 422', async () => {
    const id = (await call('POST', '/sessions', { agent_id: 'summarizer' })).json().session_id as string;
    for (const tag of ['a', 'b', 'c', 'd']) expect((await call('POST', `/sessions/${id}/messages`, { role: 'user', content: ` ${tag}`.repeat(10) })).statusCode).toBe(201);
    const buffered = (await call('GET', `/sessions/${id}/evicted`)).json();
    expect(buffered.messages.length).toBeGreaterThan(0);
    const body = { summary: 'a said a lot', through_id: buffered.messages.at(-1).id, summary_version: buffered.summary_version };
    const key = randomUUID();
    const first = await call('POST', `/sessions/${id}/summary`, body, key);
    expect(first.statusCode).toBe(200);
    const after = (await call('GET', `/sessions/${id}/evicted`)).json();
    const retry = await call('POST', `/sessions/${id}/summary`, body, key);
    expect({ status: retry.statusCode, body: retry.json() }).toEqual({ status: 200, body: first.json() });
    expect((await call('GET', `/sessions/${id}/evicted`)).json()).toEqual(after);
    expect(after.summary_version).toBe(buffered.summary_version + 1);
    // Without the key the repeat is what it is: a commit over a summary that moved on.
    expect((await call('POST', `/sessions/${id}/summary`, body)).statusCode).toBe(409);
    const reused = await call('POST', `/sessions/${id}/summary`, { ...body, summary: 'something else' }, key);
    expect(reused.statusCode).toBe(422);
    expect(reused.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await call('GET', `/sessions/${id}/context`)).json().summary).toBe('a said a lot');
  });
});
