import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/index.js';
import { makeKey } from '../../src/index.js';
import { asAlice, testConfig } from '../support/app.js';
import { captureLogger } from '../support/log-capture.js';
import { freePort, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { METRICS_TOKEN } from '../support/secrets.js';

/** Polls `read` until `check` holds; a value that never comes fails with the last one seen. */
async function waitFor<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let failure: unknown;
  for (;;) {
    try {
      last = await read();
      if (check(last)) return last;
    } catch (err) {
      failure = err;
    }
    if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(last)} after ${timeoutMs} ms (${String(failure ?? '')})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A real Prometheus (Debian's `prometheus` package, installed by .ci/run) scrapes the service over HTTP with the
 * bearer token, every 200 ms; the test asks Prometheus's query API, not /metrics, for the counts of known traffic.
 */
describe('a real Prometheus scraping the service', () => {
  let redis: RedisServer;
  let app: FastifyInstance;
  let prometheus: ChildProcess;
  let prometheusUrl: string;
  let dir: string;
  let prometheusOutput = '';

  beforeAll(async () => {
    redis = await startRedisServer();
    app = await buildApp({
      config: testConfig({ redisUrl: redis.url, rateLimitPerMinute: 10, metricsToken: METRICS_TOKEN, metricsSampleIntervalMs: 500 }),
      logger: captureLogger(),
    });
    const servicePort = await freePort();
    await app.listen({ port: servicePort, host: '127.0.0.1' });

    dir = mkdtempSync(join(tmpdir(), 'remembr-prometheus-'));
    writeFileSync(
      join(dir, 'prometheus.yml'),
      [
        'global:',
        '  scrape_interval: 200ms',
        '  scrape_timeout: 200ms',
        'scrape_configs:',
        '  - job_name: remembr',
        '    authorization:',
        `      credentials_file: ${join(dir, 'token')}`,
        '    static_configs:',
        `      - targets: ['127.0.0.1:${servicePort}']`,
        '',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'token'), METRICS_TOKEN);
    const port = await freePort();
    prometheusUrl = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prometheus.stdout!.on('data', (chunk) => (prometheusOutput += chunk));
    prometheus.stderr!.on('data', (chunk) => (prometheusOutput += chunk));
    await waitFor(
      async () => (await fetch(`${prometheusUrl}/-/ready`)).status,
      (status) => status === 200,
    ).catch((err) => {
      throw new Error(`prometheus did not become ready: ${String(err)}\n${prometheusOutput}`);
    });
  }, 60_000);

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((resolve) => prometheus.once('exit', resolve));
      prometheus.kill('SIGTERM');
      await exited;
    }
    await app?.close();
    await redis?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const query = async (promql: string): Promise<number | undefined> => {
    const res = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await res.json()) as { status: string; data: { result: Array<{ value: [number, string] }> } };
    if (body.status !== 'success') throw new Error(JSON.stringify(body));
    const [first] = body.data.result;
    return first === undefined ? undefined : Number(first.value[1]);
  };

  it('reads back 30 hits, 10 misses and 5 refusals, and sees the target up with the Redis figures', async () => {
    const { cache } = app.remembr;
    const key = makeKey('user', 'scraped');
    await cache.set(key, 'value', 600);
    for (let i = 0; i < 30; i++) await cache.get(key);
    for (let i = 0; i < 10; i++) await cache.get(makeKey('user', `absent-${i}`));
    const statuses: number[] = [];
    for (let i = 0; i < 15; i++) statuses.push((await app.inject({ method: 'GET', url: '/api/v1/sessions', headers: asAlice })).statusCode);
    expect(statuses.filter((status) => status === 429)).toHaveLength(5);

    const hits = 'remembr_cache_operations_total{operation="get",outcome="hit",namespace="user"}';
    expect(await waitFor(() => query(hits), (value) => value === 30)).toBe(30);
    expect(await query('remembr_cache_operations_total{operation="get",outcome="miss",namespace="user"}')).toBe(10);
    expect(await query('sum(remembr_rate_limit_decisions_total{outcome="refused"})')).toBe(5);
    expect(await query('sum(remembr_http_requests_total{route="/api/v1/sessions",status="429"})')).toBe(5);
    expect(await query('up{job="remembr"}')).toBe(1);
    expect(await query('remembr_store_up{store="redis"}')).toBe(1);
    expect(await query(`remembr_redis_used_memory_bytes{node="redis://127.0.0.1:${redis.port}"}`)).toBeGreaterThan(0);
    expect(await query('remembr_store_command_duration_seconds_count{operation="get"}')).toBe(40);
  }, 60_000);
});
