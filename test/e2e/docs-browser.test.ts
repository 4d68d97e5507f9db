import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type ServiceProcess } from '../support/service.js';

const run = promisify(execFile);

/** The one web page the service serves, /docs, rendered by a real headless Chromium (Debian's, installed by .ci/run). */
describe('API docs in a real browser', () => {
  let service: ServiceProcess;
  let profile: string;
  beforeAll(async () => {
    service = await startService({ LOG_LEVEL: 'warn' });
    profile = mkdtempSync(join(tmpdir(), 'remembr-chromium-'));
  });
  afterAll(async () => {
    await service?.stop();
    rmSync(profile, { recursive: true, force: true });
  });

  it('renders every operation of the API', async () => {
    const { stdout } = await run('chromium', [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, '--virtual-time-budget=10000',
      '--dump-dom', `${service.baseUrl}/docs/`,
    ], { timeout: 60_000, maxBuffer: 32 * 1024 * 1024 });
    // Swagger UI builds these from /docs/json in the browser: their presence means the page's scripts ran.
    expect(stdout).toContain('swagger-ui');
    for (const path of ['/api/v1/health', '/api/v1/sessions', '/api/v1/sessions/{session_id}/messages', '/api/v1/tasks/{task_id}/result']) {
      expect(stdout).toContain(`data-path="${path}"`);
    }
  }, 90_000);
});
