import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/index.js';
import { makeKey } from '../../src/index.js';
import { asAlice, testConfig } from '../support/app.js';
import { captureLogger } from '../support/log-capture.js';
import { freePort, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { DEFAULTS } from '../../src/config.js';

/** Screenshots land here, kept after the run as test artifacts (the folder is git-ignored). */
const ARTIFACTS = join(import.meta.dirname, '..', '..', '.tmp', 'artifacts');

/**
 * The dashboard in Debian's Chromium (installed by .ci/run; no browser download), driven by playwright-core,
 * against a listening service under traffic: cache reads and writes, window appends that evict, and requests
 * past the rate limit. The charts must show non-zero data, and nothing may be loaded from another origin.
 */
describe('the dashboard in a real headless Chromium', () => {
  let redis: RedisServer;
  let app: FastifyInstance;
  let base: string;
  let browser: Browser;
  let traffic: NodeJS.Timeout;

  beforeAll(async () => {
    redis = await startRedisServer({ args: ['--maxmemory', '256mb'] });
    app = await buildApp({
      config: testConfig({ redisUrl: redis.url, rateLimitPerMinute: 20, shortTermMaxTokens: 64, metricsSampleIntervalMs: 300 }),
      logger: captureLogger(),
    });
    base = await app.listen({ port: await freePort(), host: '127.0.0.1' });
    const { cache, sessions, memory } = app.remembr;
    const session = await sessions.create('carol', { agentId: 'dash' });
    let tick = 0;
    traffic = setInterval(() => {
      tick++;
      void (async () => {
        await cache.set(makeKey('dash', `k${tick % 20}`), { tick }, 600);
        for (let i = 0; i < 20; i++) await cache.get(makeKey('dash', `k${(tick + i) % 30}`));
        await memory.append('carol', session.sessionId, { role: 'user', content: `message number ${tick} with a few words in it` });
        await app.inject({ method: 'GET', url: '/api/v1/sessions', headers: asAlice });
      })().catch(() => {});
    }, 40);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    clearInterval(traffic);
    await browser?.close();
    await app?.close();
    await redis?.stop();
  });

  it.each([
    ['laptop', { width: 1366, height: 900 }, 1],
    ['phone', { width: 390, height: 844 }, 2],
  ] as const)('draws non-zero ops/s, hit rate, latency, memory and refusals (%s)', async (name, viewport, deviceScaleFactor) => {
    const context = await browser.newContext({ viewport, deviceScaleFactor });
    const page = await context.newPage();
    const elsewhere: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(base)) elsewhere.push(request.url());
    });
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(String(err)));
    try {
      await page.goto(`${base}/dashboard?poll=400`);
      // Four points drawn, each with traffic behind it.
      await page.waitForFunction(() => {
        const state = (window as unknown as { remembrDashboard?: { points: number; latest: { history: Record<string, Array<number | null>> } | null } }).remembrDashboard;
        const history = state?.latest?.history;
        return state !== undefined && state.points >= 4 && history !== undefined && (history.ops?.at(-1) ?? 0) > 0 && (history.refused?.some((v) => (v ?? 0) > 0) ?? false);
      }, undefined, { timeout: 20_000 });
      const state = await page.evaluate(() => (window as unknown as { remembrDashboard: { latest: { history: Record<string, Array<number | null>>; data: Record<string, unknown> } } }).remembrDashboard.latest);
      const last = (series: string) => state.history[series]!.filter((v): v is number => v !== null).at(-1) ?? 0;
      expect(last('ops')).toBeGreaterThan(0);
      expect(last('hit')).toBeGreaterThan(0);
      expect(last('hit')).toBeLessThanOrEqual(100);
      expect(last('p50')).toBeGreaterThan(0);
      expect(last('p99')).toBeGreaterThanOrEqual(last('p50'));
      expect(state.data).toMatchObject({ store: 'redis', up: true, connections: { open: DEFAULTS.redisConnections, max: DEFAULTS.redisMaxConnections } });
      expect((state.data as { memory: { usedBytes: number; maxBytes: number } }).memory.maxBytes).toBe(256 * 1024 * 1024);
      expect((state.data as { totals: { windowEvictions: number } }).totals.windowEvictions).toBeGreaterThan(0);

      // What a person sees: the tiles filled in, and four drawn charts as wide as their panels.
      expect(await page.textContent('#status')).toBe('redis up');
      expect(await page.textContent('#t-mem-sub')).toMatch(/of 256\.0 MiB maxmemory/);
      expect(await page.textContent('#t-conn')).toBe(`${DEFAULTS.redisConnections} / ${DEFAULTS.redisMaxConnections}`);
      expect(Number((await page.textContent('#t-ref'))!.replace(/\D/g, ''))).toBeGreaterThan(0);
      expect(await page.textContent('#t-hit')).toMatch(/^\d+\.\d%$/);
      const canvases = await page.$$eval('.plot canvas', (all) => all.map((c) => ({ w: (c as HTMLCanvasElement).width, h: (c as HTMLCanvasElement).height })));
      expect(canvases).toHaveLength(4);
      for (const canvas of canvases) expect(canvas.w).toBeGreaterThan(200);
      // Nothing overflows sideways on a narrow screen.
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

      await page.screenshot({ path: join(ARTIFACTS, `dashboard-${name}.png`), fullPage: true });
      expect(elsewhere).toEqual([]);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});
