import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';

type Call = (user: 'alice' | 'bob', method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) => Promise<{
  statusCode: number;
  json(): any;
}>;

/**
 * Every endpoint once, as Alice with Bob beside her: sessions, concurrent appends, checkpoints, restore, task
 * results and DELETE /sessions. For the suites that run the service on one more topology (cluster, Sentinel).
 */
export async function exerciseEveryEndpoint(call: Call): Promise<void> {
  const created = await call('alice', 'POST', '/sessions', { agent_id: 'support-bot', metadata: { channel: 'web' } });
  expect(created.statusCode).toBe(201);
  const id: string = created.json().session_id;
  expect((await call('alice', 'GET', `/sessions/${id}`)).json()).toMatchObject({ session_id: id, user_id: 'alice' });
  expect((await call('alice', 'POST', `/sessions/${id}/messages`, { role: 'system', content: 'Be brief.' })).statusCode).toBe(201);
  const appends = await Promise.all(
    Array.from({ length: 20 }, (_, i) => call('alice', 'POST', `/sessions/${id}/messages`, { role: 'user', content: `q${i}` })),
  );
  expect(appends.map((res) => res.statusCode)).toEqual(Array(20).fill(201));
  const window = (await call('alice', 'GET', `/sessions/${id}/messages`)).json();
  expect(window.messages).toHaveLength(21);

  const checkpoint = (await call('alice', 'POST', `/sessions/${id}/checkpoints`)).json();
  expect(checkpoint.message_count).toBe(21);
  await call('alice', 'POST', `/sessions/${id}/messages`, { role: 'user', content: 'after the checkpoint' });
  expect((await call('alice', 'GET', `/sessions/${id}/checkpoints`)).json().checkpoints).toEqual([checkpoint]);
  expect((await call('alice', 'POST', `/sessions/${id}/restore`, { checkpoint_id: checkpoint.checkpoint_id })).json()).toEqual({
    restored_message_count: 21,
  });
  expect((await call('alice', 'GET', `/sessions/${id}/messages`)).json()).toEqual(window);
  expect((await call('bob', 'GET', `/sessions/${id}`)).statusCode).toBe(404);

  expect((await call('alice', 'PUT', '/tasks/t1/result', { result: { rows: 3 } })).statusCode).toBe(201);
  expect((await call('alice', 'GET', '/tasks/t1/result')).json()).toEqual({ result: { rows: 3 } });
  expect((await call('alice', 'DELETE', '/tasks/t1/result')).json()).toEqual({ result: { rows: 3 } });
  expect((await call('alice', 'GET', '/tasks/t1/result')).statusCode).toBe(404);

  await call('alice', 'POST', '/sessions', { agent_id: 'second' });
  const bobs = (await call('bob', 'POST', '/sessions', { agent_id: 'bobs' })).json().session_id;
  expect((await call('alice', 'DELETE', `/sessions/${id}`)).statusCode).toBe(204);
  expect((await call('alice', 'GET', `/sessions/${id}/messages`)).statusCode).toBe(404);
  expect((await call('alice', 'DELETE', '/sessions')).json()).toEqual({ deleted: 1 });
  expect((await call('alice', 'GET', '/sessions')).json().sessions).toEqual([]);
  expect((await call('bob', 'GET', `/sessions/${bobs}`)).statusCode).toBe(200);
}

/**
 * Two service instances on the same Redis share one rate limit of 3 per minute: the fourth request, on either,
 * answers 429. `limitedApp` builds an instance with `rateLimitPerMinute: 3`; `key` is a caller no other test uses.
 */
export async function expectSharedRateLimit(limitedApp: () => Promise<FastifyInstance>, key: string): Promise<void> {
  const [first, second] = [await limitedApp(), await limitedApp()];
  try {
    const statuses: number[] = [];
    for (const instance of [first, second, first, second]) {
      statuses.push((await instance.inject({ method: 'GET', url: '/api/v1/tasks/none/result', headers: { authorization: `Bearer ${key}` } })).statusCode);
    }
    expect(statuses).toEqual([404, 404, 404, 429]);
  } finally {
    await first.close();
    await second.close();
  }
}
