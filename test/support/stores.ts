import { afterAll, beforeAll } from 'vitest';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { Store } from '../../src/store/port.js';
import { RedisStore } from '../../src/store/redis-store.js';
import { captureLogger } from './log-capture.js';
import { startRedisServer, type RedisServer } from './redis-server.js';

/**
 * The two stores every contract suite runs against. Call inside a describe; use `backends` with
 * `describe.each`. The Redis one is a redis-server this file starts on a free port.
 */
export const backends = ['memory', 'redis'] as const;
export type Backend = (typeof backends)[number];

export function openRedisStore(url: string, overrides: Partial<ConstructorParameters<typeof RedisStore>[0]> = {}): RedisStore {
  return new RedisStore({
    url,
    connections: 2,
    commandTimeoutMs: 1000,
    connectTimeoutMs: 1000,
    logger: captureLogger(),
    ...overrides,
  });
}

/** A fresh store of the given kind for the describe block it is called in. */
export function useStore(backend: Backend): { readonly store: Store; readonly server?: RedisServer } {
  const holder: { store: Store; server?: RedisServer } = {} as never;
  beforeAll(async () => {
    if (backend === 'memory') {
      holder.store = new MemoryStore();
      return;
    }
    holder.server = await startRedisServer();
    const store = openRedisStore(holder.server.url);
    await store.connect(5000);
    holder.store = store;
  });
  afterAll(async () => {
    await holder.store?.close();
    await holder.server?.stop();
  });
  return holder;
}

/** A key prefix unique to one test, so tests sharing a store never see each other's keys. */
let counter = 0;
export function uniqueNamespace(): string {
  return `t${process.pid}x${++counter}x${Math.random().toString(36).slice(2, 8)}`;
}
