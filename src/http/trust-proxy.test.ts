import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, asAlice, testConfig } from '../../test/support/app.js';
import { captureLog } from '../../test/support/log-capture.js';
import { startRedisServer, type RedisServer } from '../../test/support/redis-server.js';
import { backends } from '../../test/support/stores.js';
import { loadConfig, type Config } from '../index.js';
import { buildApp } from './index.js';

const countedUrl = '/api/v1/tasks/nothing-here/result';
const wrongKey = 'wrong-key-that-must-never-be-logged-01';

/** An app on the given backend with a failure limit of 2, and its log. */
function appWith(backend: (typeof backends)[number], overrides: Partial<Config>) {
  const holder = {} as { app: FastifyInstance; server?: RedisServer; log: ReturnType<typeof captureLog> };
  const log = captureLog('info');
  holder.log = log;
  beforeAll(async () => {
    if (backend === 'redis') holder.server = await startRedisServer();
    holder.app = await buildApp({ config: testConfig({ redisUrl: holder.server?.url, authFailuresPerMinute: 2, ...overrides }), logger: log.logger });
    await holder.app.ready();
  });
  afterAll(async () => {
    await holder.app?.close();
    await holder.server?.stop();
  });
  return holder;
}

describe.each(backends)('client addresses and TRUST_PROXY on %s', (backend) => {
  describe('without TRUST_PROXY (the default)', () => {
    const ctx = appWith(backend, {});
    const attempt = (forwardedFor: string, headers: Record<string, string> = as(wrongKey)) =>
      ctx.app.inject({ method: 'GET', url: countedUrl, remoteAddress: '192.0.2.10', headers: { ...headers, 'x-forwarded-for': forwardedFor } });

    it('counts failures against the TCP peer: a forged X-Forwarded-For changes nothing', async () => {
      const statuses = [];
      // Each attempt claims another address; all come from the same peer, so the third is over the limit.
      for (const forged of ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4']) statuses.push((await attempt(forged)).statusCode);
      expect(statuses).toEqual([401, 401, 429, 429]);
      // And a valid key from that peer is served all the same.
      expect((await attempt('203.0.113.5', asAlice)).statusCode).toBe(404);
    });

    it('logs each failure with the address and the reason, never the key', async () => {
      await ctx.app.inject({ method: 'GET', url: countedUrl, remoteAddress: '192.0.2.77', headers: as(wrongKey) });
      await ctx.app.inject({ method: 'GET', url: countedUrl, remoteAddress: '192.0.2.77' });
      const lines = ctx.log.entries().filter((line) => line.msg === 'Authentication failed' && line.ip === '192.0.2.77');
      expect(lines.map((line) => line.reason)).toEqual(['invalid key', 'missing key']);
      expect(JSON.stringify(ctx.log.entries())).not.toContain(wrongKey);
    });
  });

  describe('with TRUST_PROXY=1 (one load balancer in front)', () => {
    const ctx = appWith(backend, { trustProxy: 1 });
    const attempt = (forwardedFor: string, headers: Record<string, string> = as(wrongKey)) =>
      ctx.app.inject({ method: 'GET', url: countedUrl, remoteAddress: '10.0.0.1', headers: { ...headers, 'x-forwarded-for': forwardedFor } });

    it('counts failures against the client the proxy names, so one client behind it cannot lock out another', async () => {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await attempt('198.51.100.7')).statusCode);
      expect(statuses).toEqual([401, 401, 429]);
      expect((await attempt('198.51.100.8')).statusCode).toBe(401);
      // Only the nearest hop is believed: what the client itself put in front of the proxy's entry is ignored.
      expect((await attempt('1.2.3.4, 198.51.100.7')).statusCode).toBe(429);
      expect((await attempt('198.51.100.7', asAlice)).statusCode).toBe(404);
    });
  });

  describe('with TRUST_PROXY naming the proxy (CIDR)', () => {
    const ctx = appWith(backend, { trustProxy: ['10.0.0.0/8'] });

    it('believes X-Forwarded-For only from the listed proxies', async () => {
      const from = (remoteAddress: string, forwardedFor: string) =>
        ctx.app.inject({ method: 'GET', url: countedUrl, remoteAddress, headers: { ...as(wrongKey), 'x-forwarded-for': forwardedFor } });
      expect([(await from('10.2.3.4', '198.51.100.20')).statusCode, (await from('10.9.9.9', '198.51.100.20')).statusCode, (await from('10.2.3.4', '198.51.100.20')).statusCode]).toEqual([401, 401, 429]);
      // A peer outside the list is taken as the client, whatever header it sends.
      expect((await from('192.0.2.99', '198.51.100.21')).statusCode).toBe(401);
      expect((await from('192.0.2.99', '198.51.100.22')).statusCode).toBe(401);
      expect((await from('192.0.2.99', '198.51.100.23')).statusCode).toBe(429);
    });
  });
});

describe('TRUST_PROXY in the environment', () => {
  it('is off by default, and takes a hop count or a list of addresses and ranges', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.0.2.1, ::1, fd00::/8, loopback' }).trustProxy).toEqual(['10.0.0.0/8', '192.0.2.1', '::1', 'fd00::/8', 'loopback']);
  });

  it('refuses `true` and anything that is not an address, a range or a hop count, naming the variable', () => {
    for (const value of ['true', '10.0.0.0/33', 'proxy.internal', '999']) {
      expect(() => loadConfig({ TRUST_PROXY: value }), value).toThrow(/TRUST_PROXY must be false, a hop count/);
    }
  });
});
