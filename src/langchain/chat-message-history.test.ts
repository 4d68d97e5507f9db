import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, HumanMessage, SystemMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import { ChatPromptTemplate, MessagesPlaceholder } from '@langchain/core/prompts';
import { RunnableWithMessageHistory } from '@langchain/core/runnables';
import { describe, expect, it } from 'vitest';
import { MissingSessionError, RemembrChatMessageHistory } from './index.js';
import { SessionStore, ShortTermMemory } from '../index.js';
import { backends, useStore } from '../../test/support/stores.js';

/** A chat model that answers from a script, in order, and remembers what it was sent: no network. */
class ScriptedChatModel extends BaseChatModel {
  readonly seen: BaseMessage[][] = [];
  #next = 0;
  constructor(private readonly script: AIMessage[]) {
    super({});
  }
  _llmType(): string {
    return 'scripted';
  }
  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    this.seen.push(messages);
    const message = this.script[this.#next++];
    if (!message) throw new Error('the script has no more answers');
    return { generations: [{ message, text: typeof message.content === 'string' ? message.content : '' }] };
  }
}

const weatherCall = { id: 'call_lisbon', name: 'get_weather', args: { city: 'Lisbon', unit: 'C' }, type: 'tool_call' as const };

describe.each(backends)('RemembrChatMessageHistory on %s', (backend) => {
  const ctx = useStore(backend);
  const services = (maxTokens = 4000) => ({ sessions: new SessionStore(ctx.store), memory: new ShortTermMemory(ctx.store, { maxTokens }) });

  it('works under RunnableWithMessageHistory: a tool call, its result and the answer, read back as the model needs them', async () => {
    const { sessions, memory } = services();
    const session = await sessions.create('alice', { agentId: 'weather' });
    const model = new ScriptedChatModel([
      new AIMessage({ content: '', tool_calls: [weatherCall] }),
      new AIMessage('It is 18°C and sunny in Lisbon.'),
    ]);
    const prompt = ChatPromptTemplate.fromMessages([
      ['system', 'You answer questions about the weather.'],
      new MessagesPlaceholder('history'),
      new MessagesPlaceholder('input'),
    ]);
    const chain = new RunnableWithMessageHistory({
      runnable: prompt.pipe(model),
      getMessageHistory: (sessionId: string) => new RemembrChatMessageHistory({ memory, userId: 'alice', sessionId }),
      inputMessagesKey: 'input',
      historyMessagesKey: 'history',
    });
    const config = { configurable: { sessionId: session.sessionId } };

    const first = await chain.invoke({ input: [new HumanMessage('What is the weather in Lisbon?')] }, config);
    expect(first.tool_calls).toEqual([weatherCall]);
    // The application runs the tool and hands its result back as the next input.
    const result = new ToolMessage({ content: '18°C, sunny', tool_call_id: 'call_lisbon' });
    const second = await chain.invoke({ input: [result] }, config);
    expect(second.content).toBe('It is 18°C and sunny in Lisbon.');

    // The second call saw the first exchange from Remembr, tool call and all.
    const sent = model.seen[1]!;
    expect(sent.map((m) => m.getType())).toEqual(['system', 'human', 'ai', 'tool']);
    expect((sent[2] as AIMessage).tool_calls).toEqual([weatherCall]);
    expect((sent[3] as ToolMessage).tool_call_id).toBe('call_lisbon');

    const history = await new RemembrChatMessageHistory({ memory, userId: 'alice', sessionId: session.sessionId }).getMessages();
    expect(history.map((m) => [m.getType(), m.content])).toEqual([
      ['human', 'What is the weather in Lisbon?'],
      ['ai', ''],
      ['tool', '18°C, sunny'],
      ['ai', 'It is 18°C and sunny in Lisbon.'],
    ]);
    // In the window they are the assistant's tool call and the tool's result, as any other client reads them.
    const window = await memory.read('alice', session.sessionId);
    expect(window?.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    expect(window?.messages[1]).toMatchObject({ content: null, toolCalls: [{ id: 'call_lisbon', name: 'get_weather', arguments: '{"city":"Lisbon","unit":"C"}' }] });
    expect(window?.messages[2]).toMatchObject({ toolCallId: 'call_lisbon' });
    // Another user's history of the same session id is empty, and cannot be written.
    const bobs = new RemembrChatMessageHistory({ memory, userId: 'bob', sessionId: session.sessionId });
    expect(await bobs.getMessages()).toEqual([]);
    await expect(bobs.addMessage(new HumanMessage('hi'))).rejects.toBeInstanceOf(MissingSessionError);
  });

  it('keeps the window within its token budget, evicting a tool call with its results, never leaving a lone result', async () => {
    const { sessions, memory } = services(120);
    const session = await sessions.create('alice', { agentId: 'budget' });
    const history = new RemembrChatMessageHistory({ memory, userId: 'alice', sessionId: session.sessionId });
    await history.addMessage(new SystemMessage('Be brief.'));
    for (let i = 0; i < 12; i++) {
      const id = `call_${i}`;
      await history.addMessages([
        new HumanMessage(`Question number ${i} about the weather somewhere far away?`),
        new AIMessage({ content: '', tool_calls: [{ id, name: 'get_weather', args: { city: `City ${i}` }, type: 'tool_call' }] }),
        new ToolMessage({ content: `Result ${i}: mild, some clouds`, tool_call_id: id }),
        new AIMessage(`Answer ${i}: mild.`),
      ]);
    }
    const messages = await history.getMessages();
    const window = await memory.read('alice', session.sessionId);
    expect(window!.tokenUsage.used).toBeLessThanOrEqual(120);
    expect(messages.length).toBeLessThan(1 + 12 * 4);
    expect(messages[0]).toBeInstanceOf(SystemMessage);
    // Every tool result still in the window follows the call it answers.
    const calls = new Set<string>();
    for (const message of messages) {
      if (message instanceof AIMessage) for (const call of message.tool_calls ?? []) calls.add(call.id!);
      if (message instanceof ToolMessage) expect(calls.has(message.tool_call_id)).toBe(true);
    }
    expect(messages.at(-1)!.content).toBe('Answer 11: mild.');
  });

  it('adds a turn all or nothing, clears the window but not the session, and names a missing session', async () => {
    const { sessions, memory } = services();
    const session = await sessions.create('alice', { agentId: 'rules' });
    const history = new RemembrChatMessageHistory({ memory, userId: 'alice', sessionId: session.sessionId });
    await history.addMessages([new HumanMessage('Book a table'), new AIMessage({ content: '', tool_calls: [{ ...weatherCall, id: 'call_book' }] })]);
    // A model refuses a question while a tool call waits for its result: so does the window, and nothing of the turn lands.
    await expect(history.addMessages([new HumanMessage('Also a taxi'), new AIMessage('ok')])).rejects.toThrow(/call_book/);
    expect((await history.getMessages()).map((m) => m.getType())).toEqual(['human', 'ai']);

    await history.clear();
    expect(await history.getMessages()).toEqual([]);
    expect(await sessions.get('alice', session.sessionId)).not.toBeNull();
    await history.addUserMessage('Fresh start');
    expect((await history.getMessages()).map((m) => m.content)).toEqual(['Fresh start']);

    const missing = new RemembrChatMessageHistory({ memory, userId: 'alice', sessionId: 'no-such-session' });
    expect(await missing.getMessages()).toEqual([]);
    await expect(missing.addMessage(new HumanMessage('hello'))).rejects.toBeInstanceOf(MissingSessionError);
    await expect(missing.clear()).rejects.toBeInstanceOf(MissingSessionError);
  });
});
