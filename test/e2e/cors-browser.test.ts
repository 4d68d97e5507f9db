import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/redis-server.js';
import { ALICE_KEY } from '../support/secrets.js';
import { startService, type ServiceProcess } from '../support/service.js';

const run = promisify(execFile);

/**
 * A browser app on another origin calling the started service, in a real headless Chromium: its POST with a bearer
 * key and a JSON body needs a preflight, so this passes only if the preflight is answered and the answer's headers
 * are exposed. The same page from an origin CORS_ORIGINS does not list is blocked by the browser itself.
 */
describe('CORS in a real browser', () => {
  let service: ServiceProcess;
  let pages: Server;
  let pagePort: number;
  let profile: string;

  beforeAll(async () => {
    service = await startService({ LOG_LEVEL: 'warn', REMEMBR_API_KEYS: `alice:${ALICE_KEY}`, CORS_ORIGINS: 'http://localhost:*' });
    pagePort = await freePort();
    const page = `<!doctype html><body><script>
      fetch(${JSON.stringify(`${service.baseUrl}/api/v1/sessions`)}, {
        method: 'POST',
        headers: { Authorization: 'Bearer ${ALICE_KEY}', 'Content-Type': 'application/json' },
        body: JSON.stringify({ agent_id: 'browser-app' }),
      })
        .then(async (res) => {
          const body = await res.json();
          document.body.dataset.result = JSON.stringify({ status: res.status, rateLimit: res.headers.get('RateLimit'), requestId: res.headers.get('X-Request-ID'), agent: body.agent_id });
        })
        .catch((err) => { document.body.dataset.result = JSON.stringify({ blocked: String(err) }); });
    </script></body>`;
    pages = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(page));
    await new Promise<void>((resolve) => pages.listen(pagePort, '127.0.0.1', resolve));
    profile = mkdtempSync(join(tmpdir(), 'remembr-chromium-cors-'));
  });
  afterAll(async () => {
    await service?.stop();
    await new Promise((resolve) => pages?.close(resolve));
    rmSync(profile, { recursive: true, force: true });
  });

  async function resultOf(pageUrl: string): Promise<Record<string, unknown>> {
    const { stdout } = await run('chromium', [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, '--virtual-time-budget=10000',
      '--dump-dom', pageUrl,
    ], { timeout: 60_000, maxBuffer: 8 * 1024 * 1024 });
    const match = /data-result="([^"]*)"/.exec(stdout);
    expect(match, stdout.slice(0, 2000)).not.toBeNull();
    return JSON.parse(match![1]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
  }

  it('lets an allowed origin create a session and read RateLimit and X-Request-ID', async () => {
    const result = await resultOf(`http://localhost:${pagePort}/`);
    expect(result).toMatchObject({ status: 201, agent: 'browser-app', rateLimit: expect.stringMatching(/^"default";r=\d+;t=\d+$/) });
    expect(result.requestId).toMatch(/^[0-9a-f-]{36}$/);
  }, 90_000);

  it('is blocked by the browser from an origin CORS_ORIGINS does not list', async () => {
    const result = await resultOf(`http://127.0.0.1:${pagePort}/`);
    expect(result).toEqual({ blocked: expect.stringContaining('Failed to fetch') });
  }, 90_000);
});
