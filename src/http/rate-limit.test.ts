import type { LightMyRequestResponse } from 'fastify';
import { parseList, type Item } from 'structured-headers';
import { describe, expect, it } from 'vitest';
import { as, asAlice, asBob, useApp } from '../../test/support/app.js';
import { backends, untilNoticedDown } from '../../test/support/stores.js';
import { bucketIdentity } from './rate-limit.js';

/** Twenty users of their own, so each test exhausts a bucket no other test touches. */
const USERS = Array.from({ length: 20 }, (_, i) => ({ userId: `user${i}`, key: `rate-limit-test-key-${String(i).padStart(4, '0')}-abcdef` }));
let nextUser = 0;
const freshUser = () => as(USERS[nextUser++]!.key);
const countedUrl = '/api/v1/tasks/nothing-here/result';

/**
 * The one policy member of a RateLimit or RateLimit-Policy field, parsed as draft -10 says a client must: an RFC 9651
 * List whose members are Strings with Integer parameters (a field that does not parse would be ignored by a client).
 */
function member(field: unknown): { name: string; params: Record<string, number> } {
  expect(typeof field, 'the field is sent once, as one line').toBe('string');
  const list = parseList(field as string);
  expect(list).toHaveLength(1);
  const [value, params] = list[0] as Item;
  expect(typeof value, 'the policy name is an sf-string').toBe('string');
  for (const param of params.values()) expect(Number.isInteger(param)).toBe(true);
  return { name: value as string, params: Object.fromEntries(params) as Record<string, number> };
}

const headersOf = (res: LightMyRequestResponse) => {
  const policy = member(res.headers['ratelimit-policy']);
  const limit = member(res.headers['ratelimit']);
  expect(limit.name).toBe(policy.name);
  return { policy: policy.name, limit: policy.params.q, window: policy.params.w, remaining: limit.params.r, reset: limit.params.t! };
};

describe.each(backends)('request rate limit on %s', (backend) => {
  describe('with keys', () => {
    const ctx = useApp(backend, { rateLimitPerMinute: 5, apiKeys: USERS });

    it('puts RateLimit headers on every counted response, errors included', async () => {
      const headers = freshUser();
      const created = await ctx.app.inject({ method: 'PUT', url: '/api/v1/tasks/t1/result', headers, payload: { result: 1 } });
      const missing = await ctx.app.inject({ method: 'GET', url: countedUrl, headers });
      const invalid = await ctx.app.inject({ method: 'PUT', url: '/api/v1/tasks/t1/result', headers, payload: { result: 1, ttl_seconds: 0 } });
      expect([created.statusCode, missing.statusCode, invalid.statusCode]).toEqual([201, 404, 400]);
      expect([created, missing, invalid].map((res) => headersOf(res).remaining)).toEqual([4, 3, 2]);
      for (const res of [created, missing, invalid]) {
        expect(headersOf(res)).toMatchObject({ policy: 'default', limit: 5, window: 60 });
        expect(headersOf(res).reset).toBeGreaterThan(0);
        expect(headersOf(res).reset).toBeLessThanOrEqual(60);
        // The fields of the older drafts only behind RATE_LIMIT_LEGACY_HEADERS.
        expect(res.headers['ratelimit-limit']).toBeUndefined();
      }
    });

    it('answers 429 with Retry-After and the error envelope once the limit is spent', async () => {
      const headers = freshUser();
      for (let i = 0; i < 5; i++) expect((await ctx.app.inject({ method: 'GET', url: countedUrl, headers })).statusCode).toBe(404);
      const refused = await ctx.app.inject({ method: 'GET', url: countedUrl, headers });
      expect(refused.statusCode).toBe(429);
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(headersOf(refused)).toMatchObject({ policy: 'default', limit: 5, remaining: 0 });
      expect(refused.json()).toEqual({
        error: {
          code: 'RATE_LIMIT_EXCEEDED',
          message: expect.stringContaining('5 requests per 60 s'),
          request_id: refused.headers['x-request-id'],
        },
      });
      // Refused before the handler: a write is not carried out.
      const write = await ctx.app.inject({ method: 'PUT', url: '/api/v1/tasks/late/result', headers, payload: { result: 1 } });
      expect(write.statusCode).toBe(429);
    });

    it("keeps each user's bucket apart: one user's traffic does not limit another", async () => {
      const alice = freshUser();
      const bob = freshUser();
      for (let i = 0; i < 6; i++) await ctx.app.inject({ method: 'GET', url: countedUrl, headers: alice });
      expect((await ctx.app.inject({ method: 'GET', url: countedUrl, headers: alice })).statusCode).toBe(429);
      const bobs = await ctx.app.inject({ method: 'GET', url: countedUrl, headers: bob });
      expect(bobs.statusCode).toBe(404);
      expect(headersOf(bobs).remaining).toBe(4);
    });

    it('does not count health checks', async () => {
      const headers = freshUser();
      for (let i = 0; i < 8; i++) {
        const health = await ctx.app.inject({ method: 'GET', url: '/api/v1/health', headers });
        expect(health.statusCode).toBe(200);
        expect(health.headers.ratelimit).toBeUndefined();
        expect(health.headers['ratelimit-policy']).toBeUndefined();
      }
      expect(headersOf(await ctx.app.inject({ method: 'GET', url: countedUrl, headers })).remaining).toBe(4);
    });

    it('does not charge a user for requests that failed authentication', async () => {
      const headers = freshUser();
      for (let i = 0; i < 3; i++) {
        expect((await ctx.app.inject({ method: 'GET', url: countedUrl, headers: as('not-a-key-of-anyone-at-all') })).statusCode).toBe(401);
      }
      expect(headersOf(await ctx.app.inject({ method: 'GET', url: countedUrl, headers })).remaining).toBe(4);
    });
  });

  describe('with the older drafts’ fields as well', () => {
    const ctx = useApp(backend, { rateLimitPerMinute: 5, apiKeys: USERS, rateLimitLegacyHeaders: true });

    it('sends RateLimit-Limit, -Remaining and -Reset beside the -10 fields, agreeing with them', async () => {
      const res = await ctx.app.inject({ method: 'GET', url: countedUrl, headers: freshUser() });
      const current = headersOf(res);
      expect(current).toMatchObject({ limit: 5, remaining: 4 });
      expect(res.headers['ratelimit-limit']).toBe('5');
      expect(res.headers['ratelimit-remaining']).toBe('4');
      expect(res.headers['ratelimit-reset']).toBe(String(current.reset));
    });
  });

  describe('under concurrency', () => {
    const ctx = useApp(backend, { rateLimitPerMinute: 25 });

    it('lets exactly the limit through of 80 concurrent requests', async () => {
      const responses = await Promise.all(
        Array.from({ length: 80 }, (_, i) =>
          ctx.app.inject({ method: 'PUT', url: `/api/v1/tasks/burst-${i}/result`, headers: asAlice, payload: { result: i } }),
        ),
      );
      const statuses = responses.map((res) => res.statusCode);
      expect(statuses.filter((status) => status === 201)).toHaveLength(25);
      expect(statuses.filter((status) => status === 429)).toHaveLength(55);
      // The refused ones wrote nothing: exactly 25 results exist.
      const stored = await Promise.all(
        Array.from({ length: 80 }, (_, i) => ctx.app.remembr.tasks.peek('alice', `burst-${i}`)),
      );
      expect(stored.filter((found) => found !== null)).toHaveLength(25);
    });
  });

  describe('running open (no keys)', () => {
    const ctx = useApp(backend, { rateLimitPerMinute: 3, apiKeys: [] });

    it('counts by client address', async () => {
      const from = (remoteAddress: string) => ctx.app.inject({ method: 'GET', url: countedUrl, remoteAddress });
      const first = [await from('10.0.0.1'), await from('10.0.0.1'), await from('10.0.0.1'), await from('10.0.0.1')];
      expect(first.map((res) => res.statusCode)).toEqual([404, 404, 404, 429]);
      expect((await from('10.0.0.2')).statusCode).toBe(404);
    });

    it('accepts any address shape, IPv6 and zones included', async () => {
      for (const remoteAddress of ['::1', '::ffff:10.0.0.3', 'fe80::1%eth0']) {
        const res = await ctx.app.inject({ method: 'GET', url: countedUrl, remoteAddress });
        expect(res.statusCode).toBe(404);
        expect(headersOf(res).remaining).toBe(2);
      }
    });
  });
});

describe.each(backends)('failed authentication limit on %s', (backend) => {
  const ctx = useApp(backend, { authFailuresPerMinute: 3 });
  const attempt = (remoteAddress: string, headers: Record<string, string> = as('wrong-key-wrong-key-wrong-key')) =>
    ctx.app.inject({ method: 'GET', url: countedUrl, headers, remoteAddress });

  // Regression: after 20 bad keys from one address, alice's valid key got 429 from that address too, so behind a
  // NAT or a load balancer one misbehaving client locked out every tenant.
  it('answers 429 to wrong keys after the limit, only for that address, and always serves a valid key', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await attempt('10.1.0.1')).statusCode);
    expect(statuses).toEqual([401, 401, 401]);
    const held = await attempt('10.1.0.1');
    expect(held.statusCode).toBe(429);
    expect(held.json().error.code).toBe('RATE_LIMIT_EXCEEDED');
    const retryAfter = Number(held.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    // The lockout names its own policy, spent until Retry-After.
    expect(headersOf(held)).toEqual({ policy: 'auth-failures', limit: 3, window: 60, remaining: 0, reset: retryAfter });
    // Valid keys from the same address are served, before and after more failures, and are not counted as any.
    expect((await attempt('10.1.0.1', asAlice)).statusCode).toBe(404);
    expect((await attempt('10.1.0.1', asBob)).statusCode).toBe(404);
    expect((await attempt('10.1.0.1')).statusCode).toBe(429);
    expect((await attempt('10.1.0.1', asAlice)).statusCode).toBe(404);
    expect((await attempt('10.1.0.2', asAlice)).statusCode).toBe(404);
    expect((await attempt('10.1.0.2')).statusCode).toBe(401);
  });

  it('serves valid keys while 30 wrong guesses from the same address run beside them', async () => {
    const [wrong, right] = await Promise.all([
      Promise.all(Array.from({ length: 30 }, () => attempt('10.1.0.6'))),
      Promise.all(Array.from({ length: 10 }, () => attempt('10.1.0.6', asAlice))),
    ]);
    expect(new Set(right.map((res) => res.statusCode))).toEqual(new Set([404]));
    expect(wrong.filter((res) => res.statusCode === 401)).toHaveLength(3);
    expect(wrong.filter((res) => res.statusCode === 429)).toHaveLength(27);
  });

  it('counts a missing key as a failure too', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await attempt('10.1.0.3', {})).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it('judges exactly the limit of 12 concurrent wrong guesses', async () => {
    const responses = await Promise.all(Array.from({ length: 12 }, () => attempt('10.1.0.4')));
    const statuses = responses.map((res) => res.statusCode);
    expect(statuses.filter((status) => status === 401)).toHaveLength(3);
    expect(statuses.filter((status) => status === 429)).toHaveLength(9);
  });

  it('does not count successful requests', async () => {
    for (let i = 0; i < 10; i++) expect((await attempt('10.1.0.5', asAlice)).statusCode).toBe(404);
    expect((await attempt('10.1.0.5')).statusCode).toBe(401);
  });
});

describe.each(['open', 'closed'] as const)('rate limiting with Redis gone, failing %s', (failMode) => {
  const ctx = useApp('redis', { rateLimitFailMode: failMode, redisCommandTimeoutMs: 300 });

  it(failMode === 'open' ? 'lets requests through uncounted, and counts the decision' : 'answers 503, and counts the decision', async () => {
    await ctx.server!.kill();
    await untilNoticedDown(ctx.app.remembr.store);
    // A request the handler refuses without the store: it shows whether the limiter let it through.
    const res = await ctx.app.inject({ method: 'PUT', url: '/api/v1/tasks/x/result', headers: asAlice, payload: { result: 1, ttl_seconds: 0 } });
    const badKey = await ctx.app.inject({ method: 'GET', url: countedUrl, headers: as('wrong-key-wrong-key-wrong-key') });
    if (failMode === 'open') {
      expect(res.statusCode).toBe(400);
      expect(res.headers.ratelimit).toBeUndefined();
      expect(badKey.statusCode).toBe(401);
      // The handler still needs the store: its own answer is 503, never a made-up miss.
      expect((await ctx.app.inject({ method: 'GET', url: countedUrl, headers: asAlice })).statusCode).toBe(503);
    } else {
      expect(res.statusCode).toBe(503);
      expect(res.json().error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: expect.stringContaining('Rate limiting is unavailable') });
      expect(res.headers['retry-after']).toBe('1');
      expect(badKey.statusCode).toBe(503);
    }
    // Failing closed, the failed authentication is refused by the auth-failure limiter, which cannot count either.
    const limiter = failMode === 'open' ? 'requests' : 'auth-failures';
    const metrics = await ctx.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(new RegExp(`remembr_rate_limit_decisions_total\\{algorithm="fixed-window",limiter="${limiter}",outcome="failed_${failMode}"\\} [1-9]`));
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/health' })).json()).toMatchObject({ status: 'degraded' });
  });
});

describe('request limiter failing closed on a service running open', () => {
  const ctx = useApp('redis', { rateLimitFailMode: 'closed', apiKeys: [], redisCommandTimeoutMs: 300 });

  it('answers 503 from the request limiter itself', async () => {
    await ctx.server!.kill();
    await untilNoticedDown(ctx.app.remembr.store);
    const res = await ctx.app.inject({ method: 'PUT', url: '/api/v1/tasks/x/result', payload: { result: 1, ttl_seconds: 0 } });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    const metrics = await ctx.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/remembr_rate_limit_decisions_total\{algorithm="fixed-window",limiter="requests",outcome="failed_closed"\} 1\n/);
  });
});

describe('bucketIdentity', () => {
  it('keeps users and addresses apart and turns every address into a key part', () => {
    expect(bucketIdentity('user:alice')).toBe('user_alice');
    expect(bucketIdentity('ip:10.0.0.1')).toBe('ip_10.0.0.1');
    expect(bucketIdentity('ip:::ffff:1.2.3.4')).not.toBe(bucketIdentity('ip:::ffff:1:2:3:4'));
    expect(bucketIdentity('ip:fe80::1%eth0')).toMatch(/^h_[0-9a-f]{32}$/);
    expect(bucketIdentity('ip:fe80::1%eth0')).not.toBe(bucketIdentity('ip:fe80::1%eth1'));
  });
});
