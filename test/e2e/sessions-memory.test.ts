import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureText } from '../support/log-capture.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { ALICE_KEY, BOB_KEY } from '../support/secrets.js';
import { startService, type ServiceProcess } from '../support/service.js';
import { backends } from '../support/stores.js';

/**
 * Sessions and short-term memory through the built service (`node dist/main.js`) over real HTTP, on the embedded
 * store and on a Redis of the test's own. `npm test` builds first; run `npm run build` before this file alone.
 */
const MAIN = join(import.meta.dirname, '..', '..', 'dist', 'main.js');

describe.each(backends)('sessions and short-term memory end to end on %s', (backend) => {
  let redis: RedisServer | undefined;
  let service: ServiceProcess;
  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" first (npm test does it for you)`);
    if (backend === 'redis') redis = await startRedisServer();
    service = await startService({
      ...(redis ? { REDIS_URL: redis.url } : {}),
      REMEMBR_API_KEYS: `alice:${ALICE_KEY},bob:${BOB_KEY}`,
      RATE_LIMIT_PER_MINUTE: '100000',
      SHORT_TERM_MAX_TOKENS: '200',
      LOG_LEVEL: 'info',
    });
  });
  afterAll(async () => {
    if (service) {
      await service.stop();
      captureText(service.output());
    }
    await redis?.stop();
  });

  const call = async (method: string, path: string, body?: unknown, key = ALICE_KEY) => {
    const res = await fetch(`${service.baseUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };

  it('runs a session from creation to deletion through every endpoint', async () => {
    const created = await call('POST', '/sessions', { agent_id: 'support-bot', metadata: { channel: 'web' } });
    expect(created.status).toBe(201);
    const id: string = created.body.session_id;
    expect(created.body).toMatchObject({ user_id: 'alice', agent_id: 'support-bot', metadata: { channel: 'web' }, expires_in: 3600 });
    expect((await call('GET', `/sessions/${id}`)).body.session_id).toBe(id);
    expect((await call('POST', `/sessions/${id}/refresh`)).body.expires_in).toBe(3600);
    expect((await call('GET', '/sessions')).body.sessions.map((s: { session_id: string }) => s.session_id)).toContain(id);

    expect((await call('POST', `/sessions/${id}/messages`, { role: 'system', content: 'Answer in one line.' })).status).toBe(201);
    const appends = await Promise.all(Array.from({ length: 50 }, (_, i) => call('POST', `/sessions/${id}/messages`, { role: 'user', content: `q${i}` })));
    expect(appends.map((r) => r.status)).toEqual(Array(50).fill(201));
    const window = await call('GET', `/sessions/${id}/messages`);
    expect(window.body.messages).toHaveLength(51);
    expect(window.body.messages[0]).toMatchObject({ role: 'system', content: 'Answer in one line.' });
    expect(window.body.token_usage.max).toBe(200);

    const checkpoint = await call('POST', `/sessions/${id}/checkpoints`);
    expect(checkpoint.body.message_count).toBe(51);
    // Long enough to evict most of the window; the system message stays.
    const big = await call('POST', `/sessions/${id}/messages`, { role: 'assistant', content: ' x'.repeat(150) });
    expect(big.body.evicted.length).toBeGreaterThan(0);
    expect((await call('GET', `/sessions/${id}/messages`)).body.messages[0].role).toBe('system');
    expect((await call('POST', `/sessions/${id}/messages`, { role: 'user', content: ' x'.repeat(201) })).status).toBe(422);
    expect((await call('GET', `/sessions/${id}/checkpoints`)).body.checkpoints).toEqual([checkpoint.body]);
    expect((await call('POST', `/sessions/${id}/restore`, { checkpoint_id: checkpoint.body.checkpoint_id })).body).toEqual({ restored_message_count: 51 });
    expect((await call('GET', `/sessions/${id}/messages`)).body).toEqual(window.body);

    for (const [method, path] of [
      ['GET', ''],
      ['GET', '/messages'],
      ['GET', '/checkpoints'],
      ['DELETE', ''],
    ]) {
      expect((await call(method!, `/sessions/${id}${path}`, undefined, BOB_KEY)).status, `Bob ${method} ${path}`).toBe(404);
    }
    expect((await call('GET', '/sessions/a%3A*')).status).toBe(400);

    expect((await call('DELETE', `/sessions/${id}`)).status).toBe(204);
    expect((await call('GET', `/sessions/${id}/messages`)).status).toBe(404);
    await call('POST', '/sessions', { agent_id: 'a' });
    await call('POST', '/sessions', { agent_id: 'b' });
    const bobs = await call('POST', '/sessions', { agent_id: 'c' }, BOB_KEY);
    expect((await call('DELETE', '/sessions')).body).toEqual({ deleted: 2 });
    expect((await call('GET', `/sessions/${bobs.body.session_id}`, undefined, BOB_KEY)).status).toBe(200);
  });
});
