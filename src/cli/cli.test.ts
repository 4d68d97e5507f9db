import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../../test/support/redis-server.js';
import { openRedisStore } from '../../test/support/stores.js';
import type { RedisStore } from '../store/redis-store.js';
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

  describe('keys and flush on a store with 10,000 keys that expire and a few that never do', () => {
    let store: RedisStore;
    const withoutTtl = ['remembr:user:leak-1', 'remembr:user:leak-2', 'remembr:session:{alice}:leak', 'remembr:counter:visits', 'remembr:task:{bob}:x:result'];
    beforeAll(async () => {
      store = openRedisStore(server.url);
      await store.connect(2000);
      const namespaces = ['user', 'session', 'cache', 'counter'];
      const entries = Array.from({ length: 10_000 }, (_, i) => [`remembr:${namespaces[i % 4]}:k${i}`, 'v'] as const);
      for (let i = 0; i < entries.length; i += 1000) await store.setMany(entries.slice(i, i + 1000), 3600);
      for (const key of withoutTtl) await store.set(key, 'forever');
      await store.set('not-remembr:thing', 'x');
    });
    afterAll(async () => {
      await store?.close();
    });

    it('keys --no-ttl finds exactly the keys planted without a TTL, and exits 3', async () => {
      const { code, out } = await cli(['keys', '--no-ttl', '--json', '--limit', '100'], { REDIS_URL: server.url });
      expect(code).toBe(3);
      const report = JSON.parse(out);
      expect(report.scanned).toBe(10_005);
      expect(report.found).toBe(5);
      expect([...report.keys].sort()).toEqual([...withoutTtl].sort());
      const text = await cli(['keys', '--no-ttl', '--limit', '2'], { REDIS_URL: server.url });
      expect(text.out).toContain('5 keys without a TTL matching remembr:* (of 10005 scanned)');
      expect(text.out).toContain('… and 3 more (--limit)');
    });

    it('keys --no-ttl --namespace looks in one namespace only; a namespace that is a pattern is refused', async () => {
      const { code, out } = await cli(['keys', '--no-ttl', '--namespace', 'user', '--json'], { REDIS_URL: server.url });
      expect(code).toBe(3);
      expect(JSON.parse(out)).toMatchObject({ pattern: 'remembr:user:*', scanned: 2502, found: 2 });
      const bad = await cli(['keys', '--namespace', 'us*'], { REDIS_URL: server.url });
      expect(bad.code).toBe(2);
      expect(bad.err).toContain('--namespace');
    });

    it('status counts keys per namespace with SCAN', async () => {
      const { out } = await cli(['status', '--json'], { REDIS_URL: server.url });
      const report = JSON.parse(out);
      expect(report.sampled).toBe(false);
      expect(report.namespaces).toEqual(
        expect.arrayContaining([
          { namespace: 'user', keys: 2502 },
          { namespace: 'counter', keys: 2501 },
          { namespace: '(not remembr)', keys: 1 },
        ]),
      );
    });

    it('flush refuses without --yes and deletes nothing, then removes exactly one namespace with it', async () => {
      const refused = await cli(['flush', 'cache'], { REDIS_URL: server.url });
      expect(refused.code).toBe(2);
      expect(refused.err).toContain('refusing to delete 2500 keys matching remembr:cache:* without --yes');
      expect(await store.exists('remembr:cache:k2')).toBe(true);

      const done = await cli(['flush', 'cache', '--yes'], { REDIS_URL: server.url });
      expect(done.code).toBe(0);
      expect(done.out).toBe('removed 2500 keys matching remembr:cache:*\n');
      const left = await cli(['keys', '--json'], { REDIS_URL: server.url });
      expect(JSON.parse(left.out).scanned).toBe(10_005 - 2500);
      expect(await store.exists('remembr:cache:k2')).toBe(false);
      expect(await store.exists('remembr:user:k0')).toBe(true);
      expect(await store.exists('not-remembr:thing')).toBe(true);

      const pattern = await cli(['flush', '*', '--yes'], { REDIS_URL: server.url });
      expect(pattern.code).toBe(2);
      expect(pattern.err).toContain('is not a namespace');
    });
  });
});
