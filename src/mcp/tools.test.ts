import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { describe, expect, it } from 'vitest';
import { createMcpServer } from './index.js';
import { createRemembr, MemoryStore, OutcomeUnknownError, StoreUnavailableError, type Store } from '../index.js';

/** A memory store whose scripts and writes fail the way a Redis outage does, until `healthy` is set again. */
function failingStore(error: () => Error): Store & { healthy: boolean } {
  const inner = new MemoryStore();
  const failing = { healthy: false } as Store & { healthy: boolean };
  return new Proxy(inner, {
    get(target, name, receiver) {
      if (name === 'healthy') return failing.healthy;
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function' || ['close', 'kind'].includes(String(name))) return value;
      return (...args: unknown[]) => (failing.healthy ? value.apply(target, args) : Promise.reject(error()));
    },
    set(_target, name, value) {
      if (name === 'healthy') failing.healthy = value as boolean;
      return true;
    },
  }) as unknown as Store & { healthy: boolean };
}

async function clientFor(store: Store) {
  const remembr = await createRemembr({ store });
  const server = createMcpServer(remembr, 'alice', { version: 'test' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'test', version: '1' });
  await client.connect(clientSide);
  return client;
}

describe('MCP tools when the store fails', () => {
  it('answer a store outage as SERVICE_UNAVAILABLE and a lost answer as OUTCOME_UNKNOWN, and keep serving', async () => {
    for (const [error, code] of [
      [() => new StoreUnavailableError('Redis at redis://127.0.0.1:6379 is unavailable'), 'SERVICE_UNAVAILABLE'],
      [() => new OutcomeUnknownError('no answer from redis://127.0.0.1:6379 within 1000 ms'), 'OUTCOME_UNKNOWN'],
    ] as const) {
      const store = failingStore(error);
      const client = await clientFor(store);
      const answer = (await client.callTool({ name: 'session_create', arguments: { agent_id: 'a' } })) as {
        isError?: boolean;
        structuredContent?: { error: { code: string; message: string } };
      };
      expect(answer.isError).toBe(true);
      expect(answer.structuredContent?.error.code).toBe(code);
      // The store's address is not the caller's business.
      expect(answer.structuredContent?.error.message).not.toContain('6379');
      store.healthy = true;
      const after = await client.callTool({ name: 'session_create', arguments: { agent_id: 'a' } });
      expect(after.isError).toBeFalsy();
      await client.close();
    }
  });
});
