import { Annotation, END, START, StateGraph } from '@langchain/langgraph';
import { emptyCheckpoint, uuid6, type Checkpoint } from '@langchain/langgraph-checkpoint';
import { describe, expect, it } from 'vitest';
import { RemembrSaver } from './index.js';
import { ValidationError, type Store } from '../index.js';
import { allBackends, openRedisStore, uniqueNamespace, useStore } from '../../test/support/stores.js';
import { startRedisServer } from '../../test/support/redis-server.js';

/** Every key a saver of this scope holds, with its TTL in seconds. */
async function keysOf(store: Store, scope: string): Promise<Array<{ key: string; ttl: number }>> {
  const found: Array<{ key: string; ttl: number }> = [];
  for await (const batch of store.scan(`remembr:langgraph:${scope}:*`, 500)) {
    for (const key of batch) found.push({ key, ttl: await store.ttl(key) });
  }
  return found;
}

function checkpointWith(values: Record<string, unknown>): Checkpoint {
  const checkpoint = emptyCheckpoint();
  checkpoint.id = uuid6(-3);
  checkpoint.channel_values = values;
  checkpoint.channel_versions = Object.fromEntries(Object.keys(values).map((channel) => [channel, 1]));
  return checkpoint;
}

/** Three parallel branches that each append to one list: every step's writes are concurrent putWrites. */
const FanOut = Annotation.Root({
  items: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
});

function fanOutGraph(saver: RemembrSaver) {
  return new StateGraph(FanOut)
    .addNode('a', () => ({ items: ['a'] }))
    .addNode('b', () => ({ items: ['b'] }))
    .addNode('c', () => ({ items: ['c'] }))
    .addNode('join', (state) => ({ items: [`joined ${state.items.length}`] }))
    .addEdge(START, 'a')
    .addEdge(START, 'b')
    .addEdge(START, 'c')
    .addEdge(['a', 'b', 'c'], 'join')
    .addEdge('join', END)
    .compile({ checkpointer: saver });
}

describe.each(allBackends)('RemembrSaver on %s', (backend) => {
  const ctx = useStore(backend);

  it('gives every key it writes the configured TTL, and deleteThread leaves none', async () => {
    const scope = uniqueNamespace();
    const saver = new RemembrSaver({ store: ctx.store, ttlSeconds: 120, scope });
    const graph = fanOutGraph(saver);
    await graph.invoke({ items: [] }, { configurable: { thread_id: 'ttl thread: spaces & ünicode' } });
    const keys = await keysOf(ctx.store, scope);
    expect(keys.map(({ key }) => key.split(':').pop()).sort()).toEqual(['blobs', 'checkpoints', 'index', 'write-index', 'writes']);
    for (const { ttl } of keys) {
      expect(ttl).toBeGreaterThan(100);
      expect(ttl).toBeLessThanOrEqual(120);
    }
    // A thread's keys share its hash tag, so each script stays in one cluster slot.
    expect(new Set(keys.map(({ key }) => /\{[^}]+\}/.exec(key)?.[0])).size).toBe(1);
    await saver.deleteThread('ttl thread: spaces & ünicode');
    expect(await keysOf(ctx.store, scope)).toEqual([]);
  });

  it('restarts the TTL on read only when asked to', async () => {
    const scope = uniqueNamespace();
    const config = { configurable: { thread_id: 'read', checkpoint_ns: '' } };
    const writer = new RemembrSaver({ store: ctx.store, ttlSeconds: 60, scope });
    const stored = await writer.put(config, checkpointWith({ x: 1 }), { source: 'input', step: -1, parents: {} }, { x: 1 });
    await writer.putWrites(stored, [['x', 2]], 'task');
    // Shorten every key by hand, then read through each saver.
    for (const { key } of await keysOf(ctx.store, scope)) await ctx.store.expire(key, 5);
    expect(await writer.getTuple(config)).toBeDefined();
    for (const { ttl } of await keysOf(ctx.store, scope)) expect(ttl).toBeLessThanOrEqual(5);
    const refreshing = new RemembrSaver({ store: ctx.store, ttlSeconds: 60, scope, refreshOnRead: true });
    expect(await refreshing.getTuple(config)).toBeDefined();
    const keys = await keysOf(ctx.store, scope);
    expect(keys).toHaveLength(5);
    for (const { ttl } of keys) expect(ttl).toBeGreaterThan(30);
  });

  // Regression guard for parallel tasks: each putWrites is one script, so fifty at once lose nothing.
  it('keeps every write when fifty tasks write to one checkpoint at once', async () => {
    const saver = new RemembrSaver({ store: ctx.store, scope: uniqueNamespace() });
    const config = await saver.put(
      { configurable: { thread_id: 'parallel', checkpoint_ns: '' } },
      checkpointWith({}),
      { source: 'loop', step: 0, parents: {} },
      {},
    );
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => saver.putWrites(config, [['out', i], ['log', `task ${i}`]], `task-${String(i).padStart(2, '0')}`)),
    );
    const tuple = await saver.getTuple(config);
    expect(tuple?.pendingWrites).toHaveLength(100);
    // LangGraph's order: by task, then by index within the task.
    expect(tuple?.pendingWrites?.slice(0, 4)).toEqual([
      ['task-00', 'out', 0],
      ['task-00', 'log', 'task 0'],
      ['task-01', 'out', 1],
      ['task-01', 'log', 'task 1'],
    ]);
    // A task retried after a crash does not replace what its first attempt recorded.
    await saver.putWrites(config, [['out', 'retried']], 'task-07');
    expect((await saver.getTuple(config))?.pendingWrites?.find(([task, channel]) => task === 'task-07' && channel === 'out')?.[2]).toBe(7);
  });

  it('runs twenty fan-out graphs on twenty threads at once, each to its own complete state', async () => {
    const saver = new RemembrSaver({ store: ctx.store, scope: uniqueNamespace() });
    const graph = fanOutGraph(saver);
    const threads = Array.from({ length: 20 }, (_, i) => `graph-${i}`);
    await Promise.all(threads.map((thread_id) => graph.invoke({ items: [thread_id] }, { configurable: { thread_id } })));
    for (const thread_id of threads) {
      const state = await graph.getState({ configurable: { thread_id } });
      expect([...state.values.items].sort()).toEqual([thread_id, 'a', 'b', 'c', 'joined 4'].sort());
      const history = [];
      for await (const snapshot of graph.getStateHistory({ configurable: { thread_id } })) history.push(snapshot);
      expect(history.length).toBeGreaterThanOrEqual(3);
    }
  });

  it('refuses a config without a thread id, and a thread id too long for a key, naming the field', async () => {
    const saver = new RemembrSaver({ store: ctx.store, scope: uniqueNamespace() });
    const meta = { source: 'input' as const, step: -1, parents: {} };
    await expect(saver.put({ configurable: {} }, checkpointWith({}), meta, {})).rejects.toThrow(/thread_id/);
    await expect(saver.put({ configurable: { thread_id: 'é'.repeat(100) } }, checkpointWith({}), meta, {})).rejects.toBeInstanceOf(ValidationError);
    await expect(saver.putWrites({ configurable: { thread_id: 't' } }, [['x', 1]], 'task')).rejects.toThrow(/checkpoint_id/);
    expect(() => new RemembrSaver({ store: ctx.store, scope: 'a:b' })).toThrow(ValidationError);
    expect(() => new RemembrSaver({ store: ctx.store, ttlSeconds: 0 })).toThrow(ValidationError);
  });
});

describe('RemembrSaver when Redis stalls after a put was sent', () => {
  it('either has the whole checkpoint afterwards or none of it', async () => {
    const server = await startRedisServer();
    const store = openRedisStore(server.url, { commandTimeoutMs: 300 });
    try {
      await store.connect(5000);
      const scope = uniqueNamespace();
      const saver = new RemembrSaver({ store, scope });
      const config = { configurable: { thread_id: 'stall', checkpoint_ns: '' } };
      const checkpoint = checkpointWith({ messages: ['hello'], count: 3 });
      server.pause();
      const put = saver.put(config, checkpoint, { source: 'input', step: -1, parents: {} }, checkpoint.channel_versions);
      await expect(put).rejects.toThrow();
      server.resume();
      await store.ping().catch(() => undefined);
      // The script ran whole once Redis woke: index entry, record and channel values together.
      const listed = [];
      for await (const tuple of saver.list({ configurable: { thread_id: 'stall' } })) listed.push(tuple);
      const direct = await saver.getTuple({ configurable: { ...config.configurable, checkpoint_id: checkpoint.id } });
      expect(listed.map((tuple) => tuple.checkpoint.id)).toEqual(direct ? [checkpoint.id] : []);
      if (direct) expect(direct.checkpoint.channel_values).toEqual({ messages: ['hello'], count: 3 });
      for (const { ttl } of await keysOf(store, scope)) expect(ttl).toBeGreaterThan(0);
    } finally {
      server.resume();
      await store.close();
      await server.stop();
    }
  });
});
