import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useStore } from '../../test/support/stores.js';
import { SessionStore } from '../sessions/session-store.js';
import type { Store } from '../store/port.js';
import type { Message, MessageInput } from './messages.js';
import { ShortTermMemory } from './short-term-memory.js';

/**
 * The window's Lua scripts and their JavaScript twins (memory-scripts.ts) are two writings of one algorithm. Here
 * the same random appends, turns, summaries and deletes go to a redis-server and to the memory store, and after
 * every step both must answer alike: the same outcome, the same evicted messages, the same window and buffer.
 * Eviction is where the two are written most differently (the Lua reads the oldest messages in batches and moves
 * them at once), so the budgets are small, turns carry several messages, and the buffer's cap is tiny.
 */
describe('window scripts: Lua on Redis and the JavaScript twin agree', () => {
  const redis = useStore('redis');
  const memory = useStore('memory');
  let users = 0;

  it('for random sequences of appends, turns, summaries and deletes under random budgets', async () => {
    type Step =
      | { kind: 'user' | 'assistant' | 'system'; size: number; mentionsCalls: boolean }
      | { kind: 'calls'; count: number; size: number }
      | { kind: 'result'; pick: number; size: number }
      | { kind: 'turn'; sizes: number[] }
      | { kind: 'summary'; size: number }
      | { kind: 'delete'; pick: number };
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ kind: fc.constantFrom('user' as const, 'assistant' as const, 'system' as const), size: fc.integer({ min: 0, max: 14 }), mentionsCalls: fc.boolean() }),
      fc.record({ kind: fc.constant('calls' as const), count: fc.integer({ min: 1, max: 3 }), size: fc.integer({ min: 0, max: 6 }) }),
      fc.record({ kind: fc.constant('result' as const), pick: fc.nat(), size: fc.integer({ min: 0, max: 10 }) }),
      fc.record({ kind: fc.constant('result' as const), pick: fc.nat(), size: fc.integer({ min: 0, max: 10 }) }),
      fc.record({ kind: fc.constant('turn' as const), sizes: fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 2, maxLength: 5 }) }),
      fc.record({ kind: fc.constant('summary' as const), size: fc.integer({ min: 1, max: 10 }) }),
      fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
    );

    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 12, max: 70 }), fc.integer({ min: 1, max: 4 }), fc.array(step, { minLength: 1, maxLength: 24 }), async (budget, cap, steps) => {
        const user = `twins-${process.pid}-${++users}`;
        const sides = await Promise.all(
          [redis.store, memory.store].map(async (store: Store) => ({
            memory: new ShortTermMemory(store, { maxTokens: budget, maxEvictedMessages: cap }),
            sessionId: (await new SessionStore(store).create(user, { agentId: 'a' })).sessionId,
            // Ids are random on each side: a message is known by the content it was given (each one unique).
            contentOf: new Map<string, unknown>(),
          })),
        );
        let open: string[] = [];
        let calls = 0;
        for (const [n, s] of steps.entries()) {
          const outcomes = [];
          for (const side of sides) {
            let written = 0;
            const text = (size: number) => `m${n}.${++written}` + ' x'.repeat(size);
            const remember = (messages: Message[]) => messages.forEach((message) => side.contentOf.set(message.id, message.content));
            const named = (ids: string[]) => ids.map((id) => side.contentOf.get(id));
            const run = async (): Promise<unknown> => {
              if (s.kind === 'summary') {
                const buffered = (await side.memory.evicted(user, side.sessionId))!;
                if (buffered.messages.length === 0) return 'empty buffer';
                const committed = await side.memory.commitSummary(user, side.sessionId, {
                  summary: 'summary' + ' y'.repeat(s.size),
                  throughId: buffered.messages.at(-1)!.id,
                  summaryVersion: buffered.summaryVersion,
                });
                return { ...committed, evicted: named(committed!.evicted) };
              }
              if (s.kind === 'delete') {
                const window = (await side.memory.read(user, side.sessionId))!;
                if (window.messages.length === 0) return 'empty window';
                return named((await side.memory.delete(user, side.sessionId, window.messages[s.pick % window.messages.length]!.id))!);
              }
              let inputs: MessageInput[];
              if (s.kind === 'calls') {
                const ids = Array.from({ length: s.count }, (_, i) => `c${calls + i + 1}`);
                inputs = [{ role: 'assistant', content: s.size ? text(s.size) : null, toolCalls: ids.map((id) => ({ id, name: 'f', arguments: '{}' })) }];
              } else if (s.kind === 'result') {
                inputs = [{ role: 'tool', toolCallId: open.length ? open[s.pick % open.length]! : 'none', content: text(s.size) }];
              } else if (s.kind === 'turn') {
                // An assistant asking for tools and every answer in one turn, or plain messages.
                const ids = s.sizes.slice(1).map((_, i) => `t${n}-${i}`);
                inputs = s.sizes[0]! % 2 === 0
                  ? [{ role: 'assistant', content: null, toolCalls: ids.map((id) => ({ id, name: 'g', arguments: '{}' })) }, ...ids.map((id, i) => ({ role: 'tool' as const, toolCallId: id, content: text(s.sizes[i + 1]!) }))]
                  : s.sizes.map((size, i) => ({ role: i % 2 === 0 ? ('user' as const) : ('assistant' as const), content: text(size) }));
              } else {
                // A metadata key named like the stored tool calls must not make eviction think a unit goes on.
                inputs = [{ role: s.kind, content: text(s.size), ...(s.mentionsCalls ? { metadata: { tool_calls: [1] } } : {}) }];
              }
              const appended = (await side.memory.appendTurn(user, side.sessionId, inputs))!;
              remember(appended.messages);
              return { tokenUsage: appended.tokenUsage, evicted: named(appended.evicted) };
            };
            outcomes.push(await run().catch((err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}` : String(err))));
          }
          expect(outcomes[0], `step ${n}: ${JSON.stringify(s)}`).toEqual(outcomes[1]);
          const applied = typeof outcomes[0] === 'object';
          if (s.kind === 'calls' && applied) open = Array.from({ length: s.count }, (_, i) => `c${calls + i + 1}`);
          if (s.kind === 'calls') calls += s.count;
          if (s.kind === 'result' && applied) open = open.filter((id) => id !== open[s.pick % open.length]);
          if (s.kind === 'delete' && applied) open = [];

          const states = await Promise.all(
            sides.map(async (side) => {
              const window = (await side.memory.read(user, side.sessionId))!;
              const buffered = (await side.memory.evicted(user, side.sessionId))!;
              const shape = ({ id: _id, createdAt: _createdAt, ...rest }: Message) => rest;
              return { window: { ...window, messages: window.messages.map(shape) }, buffer: buffered.messages.map(shape), version: buffered.summaryVersion };
            }),
          );
          expect(states[0]).toEqual(states[1]);
        }
      }),
      { numRuns: 300 },
    );
  }, 120_000);
});
