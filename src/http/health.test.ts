import { describe, expect, it } from 'vitest';
import { useApp } from '../../test/support/app.js';
import { backends } from '../../test/support/stores.js';

describe.each(backends)('GET /api/v1/health on %s', (backend) => {
  const ctx = useApp(backend);

  it('reports the store and a request id, without authentication', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', environment: 'local', version: '0.1.0', redis_status: 'healthy', store: backend });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('echoes a well-formed X-Request-ID and replaces a malformed one', async () => {
    const kept = await ctx.app.inject({ method: 'GET', url: '/api/v1/health', headers: { 'x-request-id': 'trace-42' } });
    expect(kept.headers['x-request-id']).toBe('trace-42');
    const replaced = await ctx.app.inject({ method: 'GET', url: '/api/v1/health', headers: { 'x-request-id': 'bad id\u0000' } });
    expect(replaced.headers['x-request-id']).not.toContain('bad');
  });

  it('answers unknown routes with the error envelope', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'NOT_FOUND', request_id: res.headers['x-request-id'] });
  });
});

describe.each(backends)('liveness and readiness on %s', (backend) => {
  const ctx = useApp(backend);

  it('are both 200 while the store answers, without authentication', async () => {
    const live = await ctx.app.inject({ method: 'GET', url: '/api/v1/health/live' });
    expect(live.statusCode).toBe(200);
    expect(live.json()).toEqual({ status: 'ok' });
    const ready = await ctx.app.inject({ method: 'GET', url: '/api/v1/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', redis_status: 'healthy' });
  });
});

describe('liveness and readiness while Redis is away', () => {
  const ctx = useApp('redis', { redisCommandTimeoutMs: 300 });

  it('keeps live at 200, turns ready to 503 while Redis is killed, and back to 200 once it returns', async () => {
    await ctx.server!.kill();
    const ready = await ctx.app.inject({ method: 'GET', url: '/api/v1/health/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ status: 'not_ready', redis_status: 'unhealthy' });
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/health/live' })).statusCode).toBe(200);

    await ctx.server!.start();
    const deadline = Date.now() + 10_000;
    let status = 0;
    while (Date.now() < deadline && status !== 200) {
      status = (await ctx.app.inject({ method: 'GET', url: '/api/v1/health/ready' })).statusCode;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status).toBe(200);
  });
});
