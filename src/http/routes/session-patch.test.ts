import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { asAlice, asBob, useApp } from '../../../test/support/app.js';
import { OBJECT_EXAMPLES } from '../../../test/support/merge-patch-examples.js';
import { backends } from '../../../test/support/stores.js';
import { MAX_METADATA_BYTES } from '../../index.js';

const MERGE_PATCH = 'application/merge-patch+json';

describe.each(backends)('PATCH /api/v1/sessions/{id} on %s', (backend) => {
  const ctx = useApp(backend);
  const create = async (metadata: unknown = {}, headers = asAlice) => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/sessions', headers, payload: { agent_id: 'patcher', metadata } });
    expect(res.statusCode).toBe(201);
    return res.json() as { session_id: string; metadata: unknown; [field: string]: unknown };
  };
  const patch = (id: string, body: unknown, options: { type?: string | null; key?: string; as?: Record<string, string> } = {}) =>
    ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/sessions/${id}`,
      headers: {
        ...(options.as ?? asAlice),
        ...(options.type === null ? {} : { 'content-type': options.type ?? MERGE_PATCH }),
        ...(options.key === undefined ? {} : { 'idempotency-key': options.key }),
      },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const metadataOf = async (id: string) => (await ctx.app.inject({ method: 'GET', url: `/api/v1/sessions/${id}`, headers: asAlice })).json().metadata;

  it.each(OBJECT_EXAMPLES)('RFC 7386 appendix A: metadata %j patched with %j is %j', async (original, metadataPatch, result) => {
    const created = await create(original);
    const res = await patch(created.session_id, { metadata: metadataPatch });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ...created, metadata: result, expires_in: expect.any(Number) });
    expect(await metadataOf(created.session_id)).toEqual(result);
  });

  it('takes application/json too, and refuses any other type with 415 naming the two it takes', async () => {
    const { session_id: id } = await create({ n: 0 });
    expect((await patch(id, { metadata: { n: 1 } }, { type: 'application/json; charset=utf-8' })).statusCode).toBe(200);
    expect((await patch(id, { metadata: { n: 2 } }, { type: `${MERGE_PATCH}; charset=utf-8` })).statusCode).toBe(200);
    for (const type of ['text/plain', 'application/json-patch+json', 'application/x-www-form-urlencoded', null]) {
      const res = await patch(id, { metadata: { n: 3 } }, { type });
      expect(res.statusCode, String(type)).toBe(415);
      expect(res.json().error).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.stringContaining(`${MERGE_PATCH} or application/json`) });
    }
    expect(await metadataOf(id)).toEqual({ n: 2 });
    // Only this route takes the merge-patch type.
    const post = await ctx.app.inject({ method: 'POST', url: '/api/v1/sessions', headers: { ...asAlice, 'content-type': MERGE_PATCH }, payload: JSON.stringify({ agent_id: 'x' }) });
    expect(post.statusCode).toBe(415);
  });

  it('refuses what is not a patch of the metadata with 400 naming it, changing nothing', async () => {
    const { session_id: id } = await create({ kept: true });
    const cases: Array<[unknown, string]> = [
      [{ agent_id: 'other' }, 'agent_id'],
      [{ expires_in: 5 }, 'expires_in'],
      [{ metadata: ['c'] }, 'metadata'],
      [{ metadata: null }, 'metadata'],
      [{ metadata: 'bar' }, 'metadata'],
      [['c'], 'body'],
      ['null', 'body'],
      ['{"metadata":', 'body'],
    ];
    for (const [body, field] of cases) {
      const res = await patch(id, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_ERROR');
      if (field !== 'body') expect(res.json().error.details, JSON.stringify(body)).toEqual([expect.objectContaining({ field })]);
    }
    expect(await metadataOf(id)).toEqual({ kept: true });
  });

  it('answers 404 for a session that is not there or is another user’s, changing nothing', async () => {
    const bobs = await create({ owner: 'bob' }, asBob);
    expect((await patch(bobs.session_id, { metadata: { owner: 'alice' } })).statusCode).toBe(404);
    expect((await patch(randomUUID(), { metadata: { x: 1 } })).statusCode).toBe(404);
    const read = await ctx.app.inject({ method: 'GET', url: `/api/v1/sessions/${bobs.session_id}`, headers: asBob });
    expect(read.json().metadata).toEqual({ owner: 'bob' });
  });

  it('answers 422 naming the limit for a merge past it, and changes nothing', async () => {
    const { session_id: id } = await create({ big: 'x'.repeat(MAX_METADATA_BYTES - 100) });
    const res = await patch(id, { metadata: { more: 'y'.repeat(200) } });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'CAPACITY_EXCEEDED', message: expect.stringContaining(`at most ${MAX_METADATA_BYTES}`) });
    expect(await metadataOf(id)).toEqual({ big: 'x'.repeat(MAX_METADATA_BYTES - 100) });
    // Replacing the big member with a small one is fine: the limit is on the result.
    expect((await patch(id, { metadata: { big: null, more: 'y'.repeat(200) } })).statusCode).toBe(200);
  });

  // Regression: Mastra #7775 and agent-memory-server's whole-record PUT lost fields under concurrent writers.
  it('lands all of 50 concurrent patches of different members', async () => {
    const { session_id: id } = await create({});
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => patch(id, { metadata: { [`f${i}`]: i, nested: { [`n${i}`]: true } } })));
    expect(answers.map((res) => res.statusCode)).toEqual(Array(50).fill(200));
    const metadata = (await metadataOf(id)) as Record<string, unknown>;
    expect(Object.keys(metadata)).toHaveLength(51);
    expect(Object.keys(metadata.nested as object)).toHaveLength(50);
    for (let i = 0; i < 50; i++) expect(metadata[`f${i}`]).toBe(i);
  });

  it('answers a retry with the Idempotency-Key with the first answer, without merging again; another body is 422', async () => {
    const { session_id: id } = await create({ step: 0 });
    const key = randomUUID();
    const first = await patch(id, { metadata: { step: 1 } }, { key });
    expect(first.statusCode).toBe(200);
    expect((await patch(id, { metadata: { step: 2 } })).statusCode).toBe(200);
    const retry = await patch(id, { metadata: { step: 1 } }, { key, type: 'application/json' });
    expect({ status: retry.statusCode, body: retry.json() }).toEqual({ status: 200, body: first.json() });
    expect(await metadataOf(id)).toEqual({ step: 2 });
    const reused = await patch(id, { metadata: { step: 3 } }, { key });
    expect(reused.statusCode).toBe(422);
    expect(reused.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await metadataOf(id)).toEqual({ step: 2 });
  });
});
