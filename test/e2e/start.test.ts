import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureText } from '../support/log-capture.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { ALICE_KEY, REDIS_PASSWORD } from '../support/secrets.js';
import { startService, type ServiceProcess } from '../support/service.js';

/**
 * The built service (`node dist/main.js`, what `npm start` runs) as a child process, over real HTTP.
 * `npm test` builds first; run `npm run build` before running this file alone.
 */
const root = join(import.meta.dirname, '..', '..');
const MAIN = join(root, 'dist', 'main.js');

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" first (npm test does it for you)`);
});

/** Runs the service to its exit without waiting for it to serve: for configurations it must refuse. */
function runToExit(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', HOST: '127.0.0.1', PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the service did not exit within 15 s:\n${stdout}${stderr}`));
    }, 15_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      captureText(stdout + stderr);
      resolve({ code, stdout, stderr });
    });
  });
}

async function health(service: ServiceProcess) {
  const res = await fetch(`${service.baseUrl}/api/v1/health`);
  return { status: res.status, requestId: res.headers.get('x-request-id'), body: (await res.json()) as Record<string, unknown> };
}

/** Stops the service with SIGTERM and hands its output to the run-wide secret scan. */
async function stop(service: ServiceProcess): Promise<number | null> {
  const code = await service.stop();
  captureText(service.output());
  return code;
}

describe('the built service on a fresh machine (no REDIS_URL)', () => {
  it('serves GET /api/v1/health on the embedded store, then shuts down cleanly on SIGTERM', async () => {
    const service = await startService({ LOG_LEVEL: 'info' });
    try {
      const res = await health(service);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok', environment: 'local', version: '0.1.0', redis_status: 'healthy', store: 'memory' });
      expect(res.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(service.output()).toMatch(/REDIS_URL is not set/);
    } finally {
      expect(await stop(service)).toBe(0);
    }
    expect(service.output()).toMatch(/Shutting down/);
  });
});

describe('the built service on a Redis', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer({ password: REDIS_PASSWORD });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('reports store redis and healthy, never prints the password, and exits 0 on SIGTERM', async () => {
    const service = await startService({ REDIS_URL: server.url, REMEMBR_API_KEYS: `alice:${ALICE_KEY}`, LOG_LEVEL: 'debug' });
    try {
      const res = await health(service);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'ok', redis_status: 'healthy', store: 'redis' });
      // An authenticated call reaches the service (and nothing is found at this path).
      const missing = await fetch(`${service.baseUrl}/api/v1/nothing-here`, { headers: { authorization: `Bearer ${ALICE_KEY}` } });
      expect(missing.status).toBe(404);
    } finally {
      expect(await stop(service)).toBe(0);
    }
    expect(service.output()).toContain(`redis://127.0.0.1:${server.port}`);
    expect(service.output()).not.toContain(REDIS_PASSWORD);
    expect(service.output()).not.toContain(ALICE_KEY);
  });

  // Regression: with Redis unreachable, closing the store waited for ever and SIGTERM ended in the 10 s forced exit (code 1).
  it('starts degraded when Redis is not running, and still exits 0 on SIGTERM', async () => {
    await server.kill();
    try {
      const service = await startService({ REDIS_URL: server.url, REDIS_CONNECT_TIMEOUT_MS: '300' });
      try {
        const res = await health(service);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ status: 'degraded', redis_status: 'unhealthy', store: 'redis' });
        expect(service.output()).toMatch(/not reachable yet/);
      } finally {
        expect(await stop(service)).toBe(0);
      }
    } finally {
      await server.start();
    }
  });
});

describe('configurations the service refuses', () => {
  it('exits non-zero in production without REDIS_URL, saying so on stderr', async () => {
    const { code, stderr } = await runToExit({ ENVIRONMENT: 'production', REMEMBR_API_KEYS: `alice:${ALICE_KEY}` });
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/REDIS_URL is required in production/);
    expect(stderr).not.toContain(ALICE_KEY);
  });

  it('exits non-zero on a bad value, naming the variable', async () => {
    const { code, stderr } = await runToExit({ PORT: 'eighty', LOG_LEVEL: 'loud' });
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/PORT must be a whole number/);
    expect(stderr).toMatch(/LOG_LEVEL must be one of/);
  });
});
