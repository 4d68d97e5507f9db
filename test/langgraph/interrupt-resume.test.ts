import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { openRedisStore, uniqueNamespace } from '../support/stores.js';

const run = promisify(execFile);
const script = new URL('./approval-graph.ts', import.meta.url).pathname;

async function graphProcess(...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', script, ...args], { timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

describe('a LangGraph interrupt survives its process', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  // Two cold Node processes with tsx: seconds each on a busy two-core machine.
  it('one process runs to the interrupt, a second resumes from Redis and finishes; every key left has a TTL', { timeout: 120_000 }, async () => {
    const scope = uniqueNamespace();
    const first = await graphProcess('run', server.url, scope, 'post-1');
    expect(first.interrupts).toEqual([
      expect.objectContaining({ value: { question: 'Publish this draft?', draft: 'A post about Redis' } }),
    ]);

    const second = await graphProcess('resume', server.url, scope, 'post-1', 'yes');
    expect(second.pid).not.toBe(first.pid);
    const state = second.state as { draft: string; decision: string; published: boolean; ranBy: string[] };
    expect(state).toMatchObject({ draft: 'A post about Redis', decision: 'yes', published: true });
    // The draft was written once, by the first process; the rest by the second.
    expect(state.ranBy).toEqual([`write@${first.pid}`, `approve@${second.pid}`, `publish@${second.pid}`]);

    const store = openRedisStore(server.url);
    try {
      await store.connect(5000);
      const keys: string[] = [];
      for await (const batch of store.scan('*', 500)) keys.push(...batch);
      expect(keys.length).toBe(5);
      for (const key of keys) {
        expect(key.startsWith(`remembr:langgraph:${scope}:`)).toBe(true);
        const ttl = await store.ttl(key);
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(300);
      }
    } finally {
      await store.close();
    }
  });
});
