import * as vitest from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemembrSaver } from './index.js';
import { MemoryStore, type Store } from '../index.js';
import { allBackends, openRedisClusterStore, openRedisStore, uniqueNamespace } from '../../test/support/stores.js';
import { startRedisServer, type RedisServer } from '../../test/support/redis-server.js';
import { startRedisCluster, type RedisCluster } from '../../test/support/redis-cluster.js';

/*
 * LangGraph's own conformance suite for checkpointers, run in full against RemembrSaver on every backend. The
 * suite calls describe/it/expect as globals (it was written for Jest), so they are handed to it here rather than
 * turning globals on for every test file.
 */
Object.assign(globalThis, {
  describe: vitest.describe,
  it: vitest.it,
  test: vitest.test,
  expect: vitest.expect,
  beforeAll: vitest.beforeAll,
  afterAll: vitest.afterAll,
  beforeEach: vitest.beforeEach,
  afterEach: vitest.afterEach,
});
const { validate } = await import('@langchain/langgraph-checkpoint-validation');

for (const backend of allBackends) {
  let store: Store;
  let server: RedisServer | undefined;
  let cluster: RedisCluster | undefined;
  validate({
    checkpointerName: `RemembrSaver on ${backend}`,
    beforeAllTimeout: 30_000,
    async beforeAll() {
      if (backend === 'memory') {
        store = new MemoryStore();
      } else if (backend === 'redis') {
        server = await startRedisServer();
        const redis = openRedisStore(server.url, { commandTimeoutMs: 5000 });
        await redis.connect(5000);
        store = redis;
      } else {
        cluster = await startRedisCluster();
        const redis = openRedisClusterStore(cluster.url, { commandTimeoutMs: 5000 });
        await redis.connect(10_000);
        store = redis;
      }
    },
    async afterAll() {
      await store?.close();
      await server?.stop();
      await cluster?.stop();
    },
    createCheckpointer: () => new RemembrSaver({ store, ttlSeconds: 600, scope: uniqueNamespace() }),
  });
}

// Keeps vitest from reporting the file as empty if the suite ever registered nothing.
describe('validation suite', () => {
  beforeAll(() => undefined);
  afterAll(() => undefined);
  it('registered its cases', () => expect(typeof validate).toBe('function'));
});
