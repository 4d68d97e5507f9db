import { parseList } from 'structured-headers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { ALICE_KEY, BOB_KEY, CAROL_KEY } from '../support/secrets.js';
import { startService, type ServiceProcess } from '../support/service.js';

/** Task results, rate limits, metrics and authentication through the started service, over real HTTP, on Redis. */
const LIMIT = 30;

describe('the started service on Redis: tasks, rate limits, auth, metrics', () => {
  let redis: RedisServer;
  let service: ServiceProcess;
  const call = (key: string | undefined, method: string, path: string, body?: unknown) =>
    fetch(`${service.baseUrl}${path}`, {
      method,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    redis = await startRedisServer();
    service = await startService({
      REDIS_URL: redis.url,
      REMEMBR_API_KEYS: `alice:${ALICE_KEY},bob:${BOB_KEY},carol:${CAROL_KEY}`,
      RATE_LIMIT_PER_MINUTE: String(LIMIT),
      AUTH_FAILURES_PER_MINUTE: '5',
      LOG_LEVEL: 'debug',
    });
  });
  afterAll(async () => {
    await service?.stop();
    await redis?.stop();
  });

  it('stores, peeks and hands a task result to exactly one of 20 concurrent claimers', async () => {
    const put = await call(ALICE_KEY, 'PUT', '/api/v1/tasks/report-1/result', { result: { pages: 3 }, ttl_seconds: 120 });
    expect(put.status).toBe(201);
    expect((await (await call(BOB_KEY, 'GET', '/api/v1/tasks/report-1/result')).json()).error.code).toBe('NOT_FOUND');
    expect(await (await call(ALICE_KEY, 'GET', '/api/v1/tasks/report-1/result')).json()).toEqual({ result: { pages: 3 } });
    const claims = await Promise.all(Array.from({ length: 20 }, () => call(ALICE_KEY, 'DELETE', '/api/v1/tasks/report-1/result')));
    expect(claims.map((r) => r.status).sort()).toEqual([200, ...Array(19).fill(404)]);
  });

  it('lets exactly the limit through of many concurrent requests, then answers 429 with Retry-After', async () => {
    // Carol's bucket is untouched so far: LIMIT allowed in this window, whatever the concurrency.
    const answers = await Promise.all(Array.from({ length: LIMIT + 25 }, () => call(CAROL_KEY, 'GET', '/api/v1/sessions')));
    const passed = answers.filter((r) => r.status === 200);
    const refused = answers.filter((r) => r.status === 429);
    expect(passed).toHaveLength(LIMIT);
    expect(refused).toHaveLength(25);
    const [policy, policyParams] = parseList(passed[0]!.headers.get('ratelimit-policy')!)[0]!;
    expect([policy, Object.fromEntries(policyParams)]).toEqual(['default', { q: LIMIT, w: 60 }]);
    const [name, params] = parseList(refused[0]!.headers.get('ratelimit')!)[0]!;
    expect([name, params.get('r')]).toEqual(['default', 0]);
    expect(Number(refused[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await refused[0]!.json()).error.code).toBe('RATE_LIMIT_EXCEEDED');
    // Health is never counted.
    expect((await call(CAROL_KEY, 'GET', '/api/v1/health')).status).toBe(200);
    // Carol's traffic does not limit Alice.
    expect((await call(ALICE_KEY, 'GET', '/api/v1/sessions')).status).toBe(200);
  });

  it('refuses wrong keys with 401, then limits the address that keeps trying', async () => {
    const attempts = [];
    for (let i = 0; i < 8; i++) attempts.push((await call('not-a-real-key-000000000', 'GET', '/api/v1/sessions')).status);
    expect(attempts.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(attempts.slice(5)).toEqual([429, 429, 429]);
  });

  it('exposes metrics, and no secret appears in anything the service logged', async () => {
    const metrics = await (await call(undefined, 'GET', '/metrics')).text();
    expect(metrics).toMatch(/remembr_rate_limit_decisions_total\{[^}]*outcome="[a-z_]+"[^}]*\} \d+/);
    expect(metrics).toMatch(/remembr_http_request_duration_seconds_count\{[^}]*\} \d+/);
    expect(metrics).toMatch(/remembr_process_resident_memory_bytes \d+/);
    const output = service.output();
    expect(output.length).toBeGreaterThan(0);
    for (const secret of [ALICE_KEY, BOB_KEY, CAROL_KEY, 'not-a-real-key-000000000']) expect(output).not.toContain(secret);
  });
});
