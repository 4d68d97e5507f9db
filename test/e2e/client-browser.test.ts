import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE_KEY } from '../support/secrets.js';
import { startService, type ServiceProcess } from '../support/service.js';

const root = join(import.meta.dirname, '..', '..');

/**
 * `remembr/client` as a browser app loads it: the built `dist/client/*.js` as ES modules, with openapi-fetch mapped
 * by an import map and nothing bundled, in Debian's Chromium (driven by playwright-core), calling the started service
 * from another origin. It passes only if the client needs nothing of Node's and its requests, Idempotency-Key
 * included, get through CORS.
 */
describe('remembr/client in a real headless Chromium', () => {
  let service: ServiceProcess;
  let pages: Server;
  let browser: Browser;

  beforeAll(async () => {
    // Local: CORS lets http://localhost:* in.
    service = await startService({ LOG_LEVEL: 'warn', REMEMBR_API_KEYS: `alice:${ALICE_KEY}` });
    const page = `<!doctype html><script type="importmap">{"imports":{"openapi-fetch":"/openapi-fetch.mjs"}}</script>
<script type="module">
  import { createRemembrClient, RemembrApiError } from '/client/index.js';
  const out = { nodeGlobals: typeof process !== 'undefined' || typeof Buffer !== 'undefined' };
  try {
    const remembr = createRemembrClient({ baseUrl: ${JSON.stringify(service.baseUrl)}, apiKey: ${JSON.stringify(ALICE_KEY)} });
    const { session_id } = await remembr.sessions.create({ agent_id: 'in-a-page' });
    await remembr.messages.append(session_id, { role: 'user', content: 'hello from a page' });
    const checkpoint = await remembr.checkpoints.create(session_id);
    await remembr.messages.append(session_id, { role: 'assistant', content: 'to be rolled back' });
    out.restored = await remembr.checkpoints.restore(session_id, checkpoint.checkpoint_id);
    out.contents = (await remembr.messages.list(session_id)).messages.map((m) => m.content);
    await remembr.tasks.put('page-task', { result: [1, 2] });
    out.taken = await remembr.tasks.take('page-task');
    await remembr.tasks.take('page-task').catch((err) => {
      out.error = { isApiError: err instanceof RemembrApiError, status: err.status, code: err.code, requestId: err.requestId, key: err.idempotencyKey };
    });
  } catch (err) {
    out.failed = String(err && err.stack || err);
  }
  window.result = out;
</script>`;
    const files: Record<string, string> = {
      '/openapi-fetch.mjs': join(root, 'node_modules', 'openapi-fetch', 'dist', 'index.mjs'),
      '/client/index.js': join(root, 'dist', 'client', 'index.js'),
      '/client/errors.js': join(root, 'dist', 'client', 'errors.js'),
      '/client/retry.js': join(root, 'dist', 'client', 'retry.js'),
    };
    pages = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0]!;
      if (path === '/') return res.writeHead(200, { 'content-type': 'text/html' }).end(page);
      const file = files[path];
      if (!file) return res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(file));
    });
    await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => pages?.close(resolve));
    await service?.stop();
  });

  it('runs the flow and throws a typed 404, from a page on another origin', async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(String(err)));
    try {
      // localhost, not 127.0.0.1: the page is on another origin than the service, as a browser app is.
      await page.goto(`http://localhost:${(pages.address() as AddressInfo).port}/`);
      await page.waitForFunction(() => (window as unknown as { result?: unknown }).result !== undefined, undefined, { timeout: 30_000 });
      const result = await page.evaluate(() => (window as unknown as { result: Record<string, unknown> }).result);
      expect(pageErrors).toEqual([]);
      expect(result.failed).toBeUndefined();
      expect(result).toMatchObject({
        nodeGlobals: false,
        restored: { restored_message_count: 1 },
        contents: ['hello from a page'],
        taken: { result: [1, 2] },
        error: { isApiError: true, status: 404, code: 'NOT_FOUND', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
      });
      // The claim carried a key the page made with crypto.randomUUID().
      expect((result.error as { key: string }).key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    } finally {
      await page.close();
    }
  }, 90_000);
});
