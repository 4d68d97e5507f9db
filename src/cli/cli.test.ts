import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../../test/support/redis-server.js';
import { run } from './program.js';
import type { CliIo } from './context.js';

const execFileAsync = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');

/** Runs the CLI in this process with the given environment, capturing what it prints. */
async function cli(argv: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { env, out: (text) => (out += text), err: (text) => (err += text), isTTY: false };
  const code = await run(argv, io);
  return { code, out, err };
}

describe('remembr CLI against a real redis-server', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer({ args: ['--maxmemory', '64mb'] });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('status: healthy, with the version, memory against maxmemory, clients and ops/s, exit 0', async () => {
    const { code, out } = await cli(['status', '--json'], { REDIS_URL: server.url });
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report).toMatchObject({ store: `redis://127.0.0.1:${server.port}`, health: 'healthy', maxConnections: 20 });
    expect(report.nodes).toHaveLength(1);
    expect(report.nodes[0].redisVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(report.nodes[0].maxMemoryBytes).toBe(64 * 1024 * 1024);
    expect(report.nodes[0].usedMemoryBytes).toBeGreaterThan(0);
    expect(report.nodes[0].connectedClients).toBeGreaterThanOrEqual(1);
    const table = await cli(['status'], { REDIS_URL: server.url });
    expect(table.out).toContain('health  healthy');
    expect(table.out).toMatch(/64\.0 MiB \(\d+\.\d% used\)/);
  });

  it('status: an unreachable Redis is exit 1 with the reason, a malformed REDIS_URL exit 2 naming the variable', async () => {
    const down = await cli(['status'], { REDIS_URL: 'redis://127.0.0.1:1', REDIS_CONNECT_TIMEOUT_MS: '200', REDIS_COMMAND_TIMEOUT_MS: '200' });
    expect(down.code).toBe(1);
    expect(down.out).toContain('health  unhealthy (Redis at redis://127.0.0.1:1 is unavailable');
    const bad = await cli(['status'], { REDIS_URL: 'http://user:hunter2hunter2@example' });
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('REDIS_URL must start with redis:// or rediss://');
    expect(bad.err).not.toContain('hunter2');
    const none = await cli(['status'], {});
    expect(none.code).toBe(2);
    expect(none.err).toContain('REDIS_URL is not set');
  });

  it('an unknown command or option is exit 2', async () => {
    expect((await cli(['nonsense'], { REDIS_URL: server.url })).code).toBe(2);
    expect((await cli(['status', '--nope'], { REDIS_URL: server.url })).code).toBe(2);
    expect((await cli(['--help'], {})).code).toBe(0);
  });

  it('runs as the package bin: npx remembr status (the built CLI)', async () => {
    const { stdout } = await execFileAsync('npx', ['--no-install', 'remembr', 'status', '--json'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', REDIS_URL: server.url },
      timeout: 20_000,
    });
    expect(JSON.parse(stdout).health).toBe('healthy');
  }, 30_000);
});
