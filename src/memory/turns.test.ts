import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allBackends, backends, useStore } from '../../test/support/stores.js';
import { CapacityError, ConflictError, ValidationError } from '../errors.js';
import { sessionKeys } from '../sessions/session-keys.js';
import { SessionStore } from '../sessions/session-store.js';
import { toOpenAI, type Message, type MessageInput } from './messages.js';
import { ShortTermMemory, type ShortTermMemoryOptions } from './short-term-memory.js';
import { countTokens } from './tokens.js';

let users = 0;
const newUser = (name: string) => `${name}-${process.pid}-${++users}`;
const text = (n: number, tag = 'x') => ` ${tag}`.repeat(n);
/** What was appended, without what the window added. */
const asInput = ({ id: _id, tokens: _tokens, createdAt: _createdAt, ...input }: Message): MessageInput => input;

/**
 * Whether a window is what a model accepts: no tool message without the assistant call it answers right before it
 * (after that call's other results), no call answered twice, and every call answered unless its turn is the last
 * and still waiting. Returns the first problem, or null.
 */
export function modelInputProblem(messages: ReadonlyArray<Pick<Message, 'role' | 'toolCalls' | 'toolCallId'>>): string | null {
  let open: Set<string> | null = null;
  for (const [i, message] of messages.entries()) {
    if (message.role === 'tool') {
      if (open === null || !open.has(message.toolCallId!)) return `message ${i} answers ${message.toolCallId}, which is not an open call just before it`;
      open.delete(message.toolCallId!);
      continue;
    }
    if (open !== null && open.size > 0) return `message ${i} (${message.role}) comes while calls ${[...open].join(', ')} are unanswered`;
    open = message.role === 'assistant' && message.toolCalls ? new Set(message.toolCalls.map((call) => call.id)) : null;
  }
  return null;
}

/** One OpenAI tool-calling step: the assistant asks for two tools at once. */
const parallelCalls = (tag: string): MessageInput => ({
  role: 'assistant',
  content: null,
  toolCalls: [
    { id: `${tag}-weather`, name: 'get_weather', arguments: JSON.stringify({ city: 'Paris', unit: 'celsius' }) },
    { id: `${tag}-time`, name: 'get_time', arguments: JSON.stringify({ tz: 'Europe/Paris' }) },
  ],
});
const results = (tag: string): MessageInput[] => [
  { role: 'tool', toolCallId: `${tag}-weather`, content: JSON.stringify({ temperature: 18, sky: 'clear' }) },
  { role: 'tool', toolCallId: `${tag}-time`, content: '14:05' },
];

describe.each(allBackends)('messages as agents write them, on %s', (backend) => {
  const ctx = useStore(backend);
  const memory = (options: ShortTermMemoryOptions = {}) => new ShortTermMemory(ctx.store, options);
  const newSession = async () => {
    const user = newUser('alice');
    const session = await new SessionStore(ctx.store).create(user, { agentId: 'agent' });
    return { user, id: session.sessionId };
  };

  it('stores every shape and reads it back exactly: parts, tool calls, null and empty content, Unicode, metadata', async () => {
    const s = await newSession();
    const m = memory({ maxTokens: 100_000 });
    const inputs: MessageInput[] = [
      { role: 'system', content: 'Be exact. “Quotes”, emoji 👋🏽 and \u0000 survive.', name: 'rules' },
      {
        role: 'user',
        name: 'alice_1',
        content: [
          { type: 'text', text: 'What is in this picture? 你好' },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.png', detail: 'low' } },
          { type: 'file', file: { file_id: 'file-abc123', filename: 'report.pdf' } },
          { type: 'text', text: '' },
        ],
        metadata: { trace: { id: 'abc', spans: [1, 2.5, -3e-7, null, true] }, empty: {}, list: [], 'ключ': 'значение', big: 9007199254740991 },
      },
      parallelCalls('t1'),
      ...results('t1'),
      { role: 'assistant', content: '', metadata: { model: 'gpt-4o' } },
      { role: 'assistant', content: 'Partly', toolCalls: [{ id: 'c/3 "q"', name: 'search', arguments: '{"q":"a\\"b\\\\c","n":[1,{"x":null}]}' }] },
      { role: 'tool', toolCallId: 'c/3 "q"', content: [{ type: 'text', text: 'found: {"a":1}' }] },
    ];
    const turn = await m.appendTurn(s.user, s.id, inputs);
    expect(turn!.messages.map(asInput)).toEqual(inputs);
    const window = await m.read(s.user, s.id);
    expect(window!.messages.map(asInput)).toEqual(inputs);
    expect(window!.messages).toEqual(turn!.messages);
  });

  it('counts the tokens a model reads: content text, names, tool names and arguments (not images, files or metadata)', async () => {
    const s = await newSession();
    const m = memory({ maxTokens: 100_000 });
    const call = parallelCalls('count');
    const [assistant, weather] = (await m.appendTurn(s.user, s.id, [call, results('count')[0]!, results('count')[1]!]))!.messages;
    const expected = async (...texts: string[]) => (await Promise.all(texts.map((t) => countTokens(t)))).reduce((a, b) => a + b, 0);
    expect(assistant!.tokens).toBe(await expected(...call.toolCalls!.flatMap((c) => [c.name, c.arguments])));
    expect(weather!.tokens).toBe(await expected(results('count')[0]!.content as string));
    const user = await m.append(s.user, s.id, {
      role: 'user',
      name: 'bob',
      content: [{ type: 'text', text: 'hello there' }, { type: 'image_url', image_url: { url: 'https://example.com/a.png' } }],
      metadata: { ignored: 'x'.repeat(1000) },
    });
    expect(user!.message.tokens).toBe(await expected('hello there', 'bob'));
  });

  it('refuses a tool message that answers no open call, naming the id, and changes nothing', async () => {
    const s = await newSession();
    const m = memory();
    await m.append(s.user, s.id, { role: 'user', content: 'hi' });
    const before = await m.read(s.user, s.id);
    const stray = m.append(s.user, s.id, { role: 'tool', toolCallId: 'call_nope', content: 'x' });
    await expect(stray).rejects.toBeInstanceOf(ValidationError);
    await expect(stray).rejects.toMatchObject({ field: 'toolCallId', message: expect.stringContaining('"call_nope"') });

    await m.append(s.user, s.id, parallelCalls('a'));
    const wrong = m.append(s.user, s.id, { role: 'tool', toolCallId: 'a-nope', content: 'x' });
    await expect(wrong).rejects.toMatchObject({ field: 'toolCallId', message: expect.stringMatching(/"a-nope".*open calls: a-weather, a-time/) });
    await m.append(s.user, s.id, results('a')[0]!);
    // Answered once only.
    await expect(m.append(s.user, s.id, results('a')[0]!)).rejects.toMatchObject({ field: 'toolCallId', message: expect.stringContaining('a-weather') });
    const window = await m.read(s.user, s.id);
    expect(window!.messages.map((msg) => msg.role)).toEqual(['user', 'assistant', 'tool']);
    expect(before!.messages).toEqual(window!.messages.slice(0, 1));
  });

  it('refuses any other message while tool calls wait for their results (ConflictError), then accepts it once they are answered', async () => {
    const s = await newSession();
    const m = memory();
    await m.append(s.user, s.id, parallelCalls('b'));
    await m.append(s.user, s.id, results('b')[0]!);
    for (const role of ['user', 'assistant', 'system'] as const) {
      const early = m.append(s.user, s.id, { role, content: 'too early' });
      await expect(early).rejects.toBeInstanceOf(ConflictError);
      await expect(early).rejects.toMatchObject({ message: expect.stringContaining('b-time') });
    }
    await m.append(s.user, s.id, results('b')[1]!);
    await m.append(s.user, s.id, { role: 'assistant', content: 'It is 18 °C and 14:05 in Paris.' });
    const window = await m.read(s.user, s.id);
    expect(window!.messages.map((msg) => msg.role)).toEqual(['assistant', 'tool', 'tool', 'assistant']);
    expect(modelInputProblem(window!.messages)).toBeNull();
  });

  it('appends a turn all or nothing: one bad message refuses the whole turn', async () => {
    const s = await newSession();
    const m = memory();
    await m.append(s.user, s.id, { role: 'user', content: 'q' });
    const before = await m.read(s.user, s.id);
    await expect(m.appendTurn(s.user, s.id, [parallelCalls('c'), results('c')[0]!, { role: 'tool', toolCallId: 'c-other', content: 'x' }])).rejects.toMatchObject({
      field: 'messages[2].toolCallId',
    });
    await expect(m.appendTurn(s.user, s.id, [parallelCalls('c'), { role: 'user', content: 'x' }])).rejects.toMatchObject({ field: 'messages[1].role' });
    await expect(m.appendTurn(s.user, s.id, [{ role: 'user', content: 'ok' }, { role: 'user', content: 5 as never }])).rejects.toMatchObject({
      field: 'messages[1].content',
    });
    await expect(m.appendTurn(s.user, s.id, [])).rejects.toMatchObject({ field: 'messages' });
    expect(await m.read(s.user, s.id)).toEqual(before);
  });

  it('evicts an assistant message with all its tool results as one unit, never leaving an orphan, and keeps system messages', async () => {
    const s = await newSession();
    const m = memory({ maxTokens: 120 });
    await m.append(s.user, s.id, { role: 'system', content: text(10, 's') });
    const first = await m.appendTurn(s.user, s.id, [{ role: 'user', content: text(10, 'q') }, parallelCalls('d'), ...results('d'), { role: 'assistant', content: text(10, 'a') }]);
    const used = first!.tokenUsage.used;
    // The next turn needs more room than the user message alone frees: the tool unit goes too, whole.
    const next = await m.appendTurn(s.user, s.id, [{ role: 'user', content: text(120 - used + 15, 'n') }]);
    const ids = first!.messages.map((msg) => msg.id);
    expect(next!.evicted).toEqual(ids.slice(0, 4));
    const window = await m.read(s.user, s.id);
    expect(window!.messages.map((msg) => msg.role)).toEqual(['system', 'assistant', 'user']);
    expect(modelInputProblem(window!.messages)).toBeNull();
    expect(window!.tokenUsage.used).toBe(window!.messages.reduce((sum, msg) => sum + msg.tokens, 0));
  });

  it('refuses a tool result whose unit cannot fit beside the system messages, and keeps the call open', async () => {
    const s = await newSession();
    const m = memory({ maxTokens: 60 });
    await m.append(s.user, s.id, { role: 'system', content: text(20, 's') });
    await m.append(s.user, s.id, parallelCalls('e'));
    const big = m.append(s.user, s.id, { role: 'tool', toolCallId: 'e-weather', content: text(35, 'r') });
    await expect(big).rejects.toBeInstanceOf(CapacityError);
    await expect(big).rejects.toMatchObject({ message: expect.stringContaining('evicted as one') });
    await m.append(s.user, s.id, { role: 'tool', toolCallId: 'e-weather', content: 'short' });
    expect((await m.read(s.user, s.id))!.messages.map((msg) => msg.role)).toEqual(['system', 'assistant', 'tool']);
  });

  it('reads back as Chat Completions input', async () => {
    const s = await newSession();
    const m = memory();
    await m.appendTurn(s.user, s.id, [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather and time in Paris?', name: 'alice', metadata: { locale: 'fr' } },
      parallelCalls('f'),
      ...results('f'),
      { role: 'assistant', content: '18 °C, 14:05.' },
    ]);
    expect(toOpenAI((await m.read(s.user, s.id))!.messages)).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather and time in Paris?', name: 'alice' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'f-weather', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' } },
          { id: 'f-time', type: 'function', function: { name: 'get_time', arguments: '{"tz":"Europe/Paris"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'f-weather', content: '{"temperature":18,"sky":"clear"}' },
      { role: 'tool', tool_call_id: 'f-time', content: '14:05' },
      { role: 'assistant', content: '18 °C, 14:05.' },
    ]);
  });

  it('keeps 50 concurrent tool turns whole: nothing lost, nothing split', async () => {
    const s = await newSession();
    const m = memory({ maxTokens: 1_000_000 });
    const turns = await Promise.all(
      Array.from({ length: 50 }, (_, i) => m.appendTurn(s.user, s.id, [{ role: 'user', content: `q${i}` }, parallelCalls(`p${i}`), ...results(`p${i}`), { role: 'assistant', content: `a${i}` }])),
    );
    const window = (await m.read(s.user, s.id))!.messages;
    expect(window).toHaveLength(250);
    expect(modelInputProblem(window)).toBeNull();
    // Each turn's five messages sit together, in order.
    for (let i = 0; i < 250; i += 5) {
      const tag = (window[i]!.content as string).slice(1);
      expect(window.slice(i, i + 5).map((msg) => msg.content)).toEqual([`q${tag}`, null, ...results(`p${tag}`).map((r) => r.content), `a${tag}`]);
    }
    expect(new Set(window.map((msg) => msg.id))).toEqual(new Set(turns.flatMap((t) => t!.messages.map((msg) => msg.id))));
  });

  it('keeps 50 concurrent tool turns whole under a tight budget: evicted as units, the window always valid', async () => {
    const s = await newSession();
    const m = memory({ maxTokens: 150 });
    await m.append(s.user, s.id, { role: 'system', content: 'Rules.' });
    const turns = await Promise.all(
      Array.from({ length: 50 }, (_, i) => m.appendTurn(s.user, s.id, [{ role: 'user', content: `q${i}` }, parallelCalls(`r${i}`), ...results(`r${i}`), { role: 'assistant', content: `a${i}` }])),
    );
    const window = await m.read(s.user, s.id);
    expect(modelInputProblem(window!.messages)).toBeNull();
    expect(window!.messages[0]!.content).toBe('Rules.');
    expect(window!.tokenUsage.used).toBe(window!.messages.reduce((sum, msg) => sum + msg.tokens, 0));
    expect(window!.tokenUsage.used).toBeLessThanOrEqual(150);
    // Every message is either in the window or was reported evicted, exactly once.
    const kept = window!.messages.slice(1).map((msg) => msg.id);
    const evicted = turns.flatMap((t) => t!.evicted);
    expect(new Set([...kept, ...evicted]).size).toBe(kept.length + evicted.length);
    expect([...kept, ...evicted].sort()).toEqual(turns.flatMap((t) => t!.messages.map((msg) => msg.id)).sort());
  });
});

/**
 * The eviction property: for random sequences of user, assistant, assistant-with-tool-calls and tool-result
 * appends under random budgets, every window read is a valid model input and its token usage is the sum of what
 * it holds. Run on the memory store and on a real redis-server, with the same sequences.
 */
describe.each(backends)('the window is always a valid model input, on %s', (backend) => {
  const ctx = useStore(backend);
  const runs = backend === 'memory' ? 2000 : 1000;

  it(`holds for ${runs} random sequences of appends under random budgets`, async () => {
    type Step = { kind: 'user' | 'assistant' | 'system'; size: number } | { kind: 'calls'; count: number; size: number } | { kind: 'result'; pick: number; size: number } | { kind: 'stray' };
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ kind: fc.constantFrom('user' as const, 'assistant' as const, 'system' as const), size: fc.integer({ min: 0, max: 12 }) }),
      fc.record({ kind: fc.constant('calls' as const), count: fc.integer({ min: 1, max: 3 }), size: fc.integer({ min: 0, max: 6 }) }),
      fc.record({ kind: fc.constant('result' as const), pick: fc.nat(), size: fc.integer({ min: 0, max: 12 }) }),
      fc.record({ kind: fc.constant('result' as const), pick: fc.nat(), size: fc.integer({ min: 0, max: 12 }) }),
      fc.constant({ kind: 'stray' as const }),
    );
    let sequence = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 16, max: 60 }), fc.array(step, { minLength: 1, maxLength: 14 }), async (budget, steps) => {
        const user = `prop-${process.pid}-${++sequence}`;
        const session = await new SessionStore(ctx.store).create(user, { agentId: 'a' });
        const m = new ShortTermMemory(ctx.store, { maxTokens: budget });
        let open: string[] = [];
        let calls = 0;
        for (const s of steps) {
          let input: MessageInput;
          if (s.kind === 'calls') {
            const ids = Array.from({ length: s.count }, () => `c${++calls}`);
            input = { role: 'assistant', content: s.size ? text(s.size) : null, toolCalls: ids.map((id) => ({ id, name: 'f', arguments: '{}' })) };
          } else if (s.kind === 'result') {
            input = { role: 'tool', toolCallId: open.length ? open[s.pick % open.length]! : 'none', content: text(s.size) };
          } else if (s.kind === 'stray') {
            input = { role: 'tool', toolCallId: `c${calls + 1000}`, content: 'x' };
          } else {
            input = { role: s.kind, content: text(s.size) };
          }
          try {
            await m.append(user, session.sessionId, input);
            if (input.toolCalls) open = input.toolCalls.map((call) => call.id);
            if (input.role === 'tool') open = open.filter((id) => id !== input.toolCallId);
          } catch (err) {
            if (!(err instanceof ValidationError || err instanceof ConflictError || err instanceof CapacityError)) throw err;
          }
          const window = (await m.read(user, session.sessionId))!;
          const problem = modelInputProblem(window.messages);
          if (problem !== null) throw new Error(`${problem}: ${JSON.stringify(window.messages.map((msg) => [msg.role, msg.toolCallId ?? msg.toolCalls?.map((c) => c.id)]))}`);
          expect(window.tokenUsage.used).toBe(window.messages.reduce((sum, msg) => sum + msg.tokens, 0));
          expect(window.tokenUsage.used).toBeLessThanOrEqual(budget);
          if (window.messages.length > 0) expect(window.messages.find((msg) => msg.role !== 'system')?.role ?? 'user').not.toBe('tool');
        }
        const keys = sessionKeys(user, session.sessionId);
        await ctx.store.delete([keys.session, keys.systemMessages, keys.conversation, keys.windowState]);
      }),
      { numRuns: runs },
    );
  }, 120_000);
});
