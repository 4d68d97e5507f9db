import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAlice, testConfig, useApp } from '../../test/support/app.js';
import { parseExposition, sampleValue, seriesOf } from '../../test/support/exposition.js';
import { METRICS_TOKEN } from '../../test/support/secrets.js';
import { backends } from '../../test/support/stores.js';
import { DEFAULTS } from '../config.js';
import { buildApp } from './app.js';
import { buildMetricsApp } from './metrics-app.js';
import { makeKey } from '../index.js';

async function scrape(app: { inject: (o: object) => Promise<{ statusCode: number; body: string; headers: Record<string, unknown> }> }, headers = {}) {
  const res = await app.inject({ method: 'GET', url: '/metrics', headers });
  expect(res.statusCode).toBe(200);
  return res.body;
}

/** `promtool check metrics` (Debian's prometheus package) on an exposition: its lint findings, empty when clean. */
function promtoolCheck(text: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = execFile('promtool', ['check', 'metrics'], { timeout: 20_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` }),
    );
    child.stdin!.end(text);
  });
}

describe.each(backends)('/metrics reads back known traffic exactly on %s', (backend) => {
  const ctx = useApp(backend, { rateLimitPerMinute: 10, metricsSampleIntervalMs: 0 });

  it('counts cache hits and misses by namespace, store commands, sessions, appends, refusals and HTTP requests', async () => {
    const { cache, monitor } = ctx.app.remembr;
    const key = makeKey('user', 'known');
    await cache.set(key, { name: 'Ada' }, 600);
    for (let i = 0; i < 30; i++) expect(await cache.get(key)).toEqual({ name: 'Ada' });
    for (let i = 0; i < 10; i++) expect(await cache.get(makeKey('user', `missing-${i}`))).toBeNull();

    // Two sessions and three appends, then 10 more list calls: 15 counted requests against a limit of 10.
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/sessions', headers: asAlice, payload: { agent_id: 'bot' } });
      expect(res.statusCode).toBe(201);
      ids.push(res.json().session_id);
    }
    let tokens = 0;
    for (let i = 0; i < 3; i++) {
      const res = await ctx.app.inject({ method: 'POST', url: `/api/v1/sessions/${ids[0]}/messages`, headers: asAlice, payload: { role: 'user', content: `hello number ${i}` } });
      expect(res.statusCode).toBe(201);
      tokens += res.json().message.tokens;
    }
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await ctx.app.inject({ method: 'GET', url: '/api/v1/sessions', headers: asAlice })).statusCode);
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    await monitor.sample();

    const text = await scrape(ctx.app);
    const samples = parseExposition(text);
    const value = (name: string, labels: Record<string, string> = {}) => sampleValue(samples, name, labels);
    expect(value('remembr_cache_operations_total', { operation: 'get', outcome: 'hit', namespace: 'user' })).toBe(30);
    expect(value('remembr_cache_operations_total', { operation: 'get', outcome: 'miss', namespace: 'user' })).toBe(10);
    expect(value('remembr_cache_operations_total', { operation: 'set', outcome: 'ok', namespace: 'user' })).toBe(1);
    // Every cache get is one store get, and the first append to a session reads the session once for its token
    // encoding (remembered after that): 40 + 1.
    expect(value('remembr_store_command_duration_seconds_count', { store: backend, operation: 'get' })).toBe(41);
    expect(value('remembr_store_command_duration_seconds_count', { store: backend, operation: 'script:append-messages' })).toBe(3);
    expect(value('remembr_session_operations_total', { operation: 'create' })).toBe(2);
    expect(value('remembr_memory_appends_total', { outcome: 'ok' })).toBe(3);
    expect(value('remembr_memory_tokens_appended_total')).toBe(tokens);
    expect(value('remembr_rate_limit_decisions_total', { outcome: 'allowed' })).toBe(10);
    expect(value('remembr_rate_limit_decisions_total', { outcome: 'refused' })).toBe(5);
    expect(value('remembr_http_requests_total', { route: '/api/v1/sessions', method: 'GET', status: '429' })).toBe(5);
    expect(value('remembr_http_requests_total', { route: '/api/v1/sessions', method: 'GET', status: '200' })).toBe(5);
    expect(value('remembr_http_requests_total', { route: '/api/v1/sessions/:session_id/messages', method: 'POST', status: '201' })).toBe(3);
    expect(value('remembr_http_request_duration_seconds_count', { route: '/api/v1/sessions', method: 'POST', status: '201' })).toBe(2);
    expect(samples.some((s) => s.name === 'remembr_store_failures_total')).toBe(false);
    expect(value('remembr_store_up', { store: backend })).toBe(1);
    expect(value('remembr_process_resident_memory_bytes')).toBeGreaterThan(0);
    if (backend === 'memory') {
      expect(value('remembr_memory_store_keys', { store: 'memory' })).toBeGreaterThan(0);
      expect(value('remembr_memory_store_bytes', { store: 'memory' })).toBeGreaterThan(0);
      expect(samples.some((s) => s.name.startsWith('remembr_redis_'))).toBe(false);
    } else {
      const node = `redis://127.0.0.1:${ctx.server!.port}`;
      expect(value('remembr_store_connections_open', { store: 'redis' })).toBe(DEFAULTS.redisConnections);
      expect(value('remembr_store_connections_max', { store: 'redis' })).toBe(20);
      expect(value('remembr_redis_used_memory_bytes', { node })).toBeGreaterThan(0);
      expect(value('remembr_redis_maxmemory_bytes', { node })).toBe(0);
      expect(value('remembr_redis_connected_clients', { node })).toBeGreaterThanOrEqual(DEFAULTS.redisConnections);
      expect(value('remembr_redis_keyspace_hits', { node })).toBeGreaterThanOrEqual(30);
      expect(value('remembr_redis_instantaneous_ops_per_second', { node })).toBeGreaterThanOrEqual(0);
    }

    // Debian's promtool finds nothing to complain about in the whole exposition, process defaults included.
    const lint = await promtoolCheck(text);
    expect(lint.output).toBe('');
    expect(lint.code).toBe(0);
  });
});

describe('/metrics series stay bounded whatever callers send', () => {
  // Not the capturing logger: 10,000 request lines written synchronously to a file would be most of the time.
  const ctx = {} as { app: FastifyInstance };
  beforeAll(async () => {
    ctx.app = await buildApp({ config: testConfig({ metricsSampleIntervalMs: 0 }) });
  });
  afterAll(() => ctx.app?.close());

  it('10,000 requests with random ids and junk paths add only a handful of series', async () => {
    const before = seriesOf(await scrape(ctx.app));
    const junk = () => randomUUID().slice(0, 8);
    for (let i = 0; i < 2500; i += 25) {
      await Promise.all(Array.from({ length: 25 }, () => [
        ctx.app.inject({ method: 'GET', url: `/api/v1/sessions/${randomUUID()}`, headers: asAlice }),
        ctx.app.inject({ method: 'GET', url: `/${junk()}/${junk()}?q=${junk()}` }),
        ctx.app.inject({ method: 'POST', url: `/api/v1/sessions/${junk()}/messages`, headers: asAlice, payload: { role: junk() } }),
        ctx.app.inject({ method: 'DELETE', url: `/api/v1/tasks/${'x'.repeat(200)}${junk()}/result`, headers: asAlice }),
      ]).flat());
    }
    const after = seriesOf(await scrape(ctx.app));
    const added = [...after].filter((series) => !before.has(series) && !series.startsWith('remembr_nodejs_') && !series.startsWith('remembr_process_'));
    // Each kind of request adds its route template and status once (and the store calls behind them), never an id:
    // 13 here, whether it is sent once or 2,500 times.
    expect(added.length, added.join('\n')).toBeLessThanOrEqual(16);
    expect(added.join('\n')).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}/);
  }, 60_000);
});

describe('/metrics protection', () => {
  describe('with METRICS_TOKEN', () => {
    const ctx = useApp('memory', { environment: 'production', metricsToken: METRICS_TOKEN, metricsSampleIntervalMs: 0 });

    it('answers 401 without the bearer token or with a wrong one, and the exposition with it', async () => {
      const none = await ctx.app.inject({ method: 'GET', url: '/metrics' });
      expect(none.statusCode).toBe(401);
      expect(none.json().error.message).toContain('METRICS_TOKEN');
      expect(none.headers['www-authenticate']).toBe('Bearer');
      const wrong = await ctx.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer not-the-token-at-all' } });
      expect(wrong.statusCode).toBe(401);
      expect(await scrape(ctx.app, { authorization: `Bearer ${METRICS_TOKEN}` })).toContain('remembr_store_up');
    });

    it('asks a browser for the token on /dashboard (Basic, the token as password) and serves page and data with it', async () => {
      for (const url of ['/dashboard', '/dashboard/data', '/dashboard/uplot.js']) {
        const none = await ctx.app.inject({ method: 'GET', url });
        expect(none.statusCode, url).toBe(401);
        expect(none.headers['www-authenticate']).toMatch(/^Basic realm="Remembr dashboard"/);
      }
      const wrong = `Basic ${Buffer.from('ops:not-the-token-at-all').toString('base64')}`;
      expect((await ctx.app.inject({ method: 'GET', url: '/dashboard', headers: { authorization: wrong } })).statusCode).toBe(401);
      const basic = `Basic ${Buffer.from(`ops:${METRICS_TOKEN}`).toString('base64')}`;
      const page = await ctx.app.inject({ method: 'GET', url: '/dashboard', headers: { authorization: basic } });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-security-policy']).toContain("default-src 'none'");
      const data = await ctx.app.inject({ method: 'GET', url: '/dashboard/data', headers: { authorization: basic } });
      expect(data.json()).toMatchObject({ store: 'memory', totals: { storeCommands: expect.any(Number) } });
    });
  });

  describe('in production without a token or a metrics port', () => {
    const ctx = useApp('memory', { environment: 'production', metricsSampleIntervalMs: 0 });

    it('does not serve /metrics or the dashboard at all', async () => {
      expect((await ctx.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
      expect((await ctx.app.inject({ method: 'GET', url: '/dashboard' })).statusCode).toBe(404);
    });
  });

  describe('with METRICS_PORT', () => {
    const ctx = useApp('memory', { environment: 'production', metricsPort: 0, metricsSampleIntervalMs: 0 });

    it('serves /metrics on the metrics listener only', async () => {
      expect((await ctx.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
      const metricsApp = await buildMetricsApp({ remembr: ctx.app.remembr, config: ctx.app.remembr.config });
      try {
        await ctx.app.inject({ method: 'GET', url: '/api/v1/health' });
        const text = await scrape(metricsApp);
        expect(sampleValue(text, 'remembr_http_requests_total', { route: '/api/v1/health', method: 'GET', status: '200' })).toBe(1);
      } finally {
        await metricsApp.close();
      }
    });
  });
});
