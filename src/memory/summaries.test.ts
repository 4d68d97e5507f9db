import { describe, expect, it } from 'vitest';
import { backends, useStore } from '../../test/support/stores.js';
import { ConflictError, IdempotencyKeyReusedError } from '../errors.js';
import { SessionStore } from '../sessions/session-store.js';
import type { Message } from './messages.js';
import { ShortTermMemory, type Summarize } from './short-term-memory.js';

let users = 0;
const newUser = () => `sum-${process.pid}-${++users}`;
const text = (n: number, tag = 'x') => ` ${tag}`.repeat(n);
/** A deterministic summarizer: no model is called. */
const fold: Summarize = async ({ previousSummary, messages }) =>
  [previousSummary ?? 'S', ...messages.map((message) => (message.content as string).trim().split(' ')[0])].join('|');
const waitFor = async (check: () => Promise<boolean>) => {
  for (let i = 0; i < 400 && !(await check()); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(await check()).toBe(true);
};

describe.each(backends)('summaries of evicted messages on %s', (backend) => {
  const ctx = useStore(backend);
  const newSession = async () => {
    const user = newUser();
    return { user, id: (await new SessionStore(ctx.store).create(user, { agentId: 'a' })).sessionId };
  };

  it('keeps evicted messages in the buffer and commits a summary over them, counting its tokens', async () => {
    const s = await newSession();
    const m = new ShortTermMemory(ctx.store, { maxTokens: 30 });
    const sent: Message[] = [];
    for (const tag of ['a', 'b', 'c', 'd']) sent.push((await m.append(s.user, s.id, { role: 'user', content: text(10, tag) }))!.message);
    const buffered = await m.evicted(s.user, s.id);
    expect(buffered).toEqual({ summary: null, summaryVersion: 0, messages: [sent[0]] });
    const committed = await m.commitSummary(s.user, s.id, { summary: 'a said x', throughId: sent[0]!.id, summaryVersion: 0 });
    // The summary's 3 tokens push the oldest turn out to the buffer to stay within 30.
    expect(committed).toEqual({ summaryVersion: 1, tokenUsage: expect.objectContaining({ used: 23 }), evicted: [sent[1]!.id] });
    const window = await m.read(s.user, s.id);
    expect(window!.summary).toBe('a said x');
    expect(window!.messages.map((msg) => msg.id)).toEqual([sent[2]!.id, sent[3]!.id]);
    expect((await m.evicted(s.user, s.id))!.messages.map((msg) => msg.id)).toEqual([sent[1]!.id]);
  });

  it('refuses a stale commit (409) and loses nothing appended while a summarizer ran', async () => {
    const s = await newSession();
    const m = new ShortTermMemory(ctx.store, { maxTokens: 20 });
    for (const tag of ['a', 'b', 'c']) await m.append(s.user, s.id, { role: 'user', content: text(10, tag) });
    const read = (await m.evicted(s.user, s.id))!;
    // Appends land while "the model" summarizes: they evict more into the buffer.
    await Promise.all(['d', 'e'].map((tag) => m.append(s.user, s.id, { role: 'user', content: text(10, tag) })));
    const first = await m.commitSummary(s.user, s.id, { summary: await fold({ previousSummary: read.summary, messages: read.messages }), throughId: read.messages.at(-1)!.id, summaryVersion: read.summaryVersion });
    expect(first!.summaryVersion).toBe(1);
    const after = (await m.evicted(s.user, s.id))!;
    // a is folded; b and c were evicted meanwhile, and the summary's own tokens moved d out: all still buffered.
    expect(after.messages.map((msg) => (msg.content as string).trim()[0])).toEqual(['b', 'c', 'd']);
    // A second summarizer that read the same buffer is refused, and changes nothing.
    const stale = m.commitSummary(s.user, s.id, { summary: 'other', throughId: read.messages.at(-1)!.id, summaryVersion: read.summaryVersion });
    await expect(stale).rejects.toBeInstanceOf(ConflictError);
    await expect(stale).rejects.toMatchObject({ field: 'summaryVersion' });
    await expect(m.commitSummary(s.user, s.id, { summary: 'other', throughId: read.messages[0]!.id, summaryVersion: 1 })).rejects.toMatchObject({ field: 'throughId' });
    expect(await m.evicted(s.user, s.id)).toEqual(after);
    expect((await m.read(s.user, s.id))!.summary).toBe('S|a');
  });

  it('runs the summarize option off the request path and folds everything evicted, even during concurrent appends', async () => {
    const s = await newSession();
    const m = new ShortTermMemory(ctx.store, { maxTokens: 40, summarize: fold });
    await Promise.all(Array.from({ length: 12 }, (_, i) => m.append(s.user, s.id, { role: 'user', content: text(8, `m${i}`) })));
    await waitFor(async () => (await m.evicted(s.user, s.id))!.messages.length === 0);
    const window = (await m.read(s.user, s.id))!;
    const kept = window.messages.map((msg) => (msg.content as string).trim().split(' ')[0]);
    const summarized = window.summary!.split('|').slice(1);
    // Every message is summarized or still in the window, exactly once.
    expect([...summarized, ...kept].sort()).toEqual(Array.from({ length: 12 }, (_, i) => `m${i}`).sort());
    expect(window.tokenUsage.used).toBeLessThanOrEqual(40);
  });

  // Regression: a summarizer whose commit timed out and was retried got 409 (the summary had moved on) and could not
  // tell a commit that landed from one that did not.
  it('commits once per idempotency key: a retry answers the first commit, not a 409; another commit under the key is refused', async () => {
    const s = await newSession();
    const m = new ShortTermMemory(ctx.store, { maxTokens: 30 });
    const sent: Message[] = [];
    for (const tag of ['a', 'b', 'c', 'd', 'e']) sent.push((await m.append(s.user, s.id, { role: 'user', content: text(10, tag) }))!.message);
    const commit = { summary: 'a and b said x', throughId: sent[1]!.id, summaryVersion: 0 };
    const key = { idempotencyKey: `sum-${s.id}` };
    const first = await m.commitSummary(s.user, s.id, commit, key);
    expect(first).toEqual({ summaryVersion: 1, tokenUsage: expect.objectContaining({ used: expect.any(Number) }), evicted: expect.any(Array) });
    const afterFirst = { window: await m.read(s.user, s.id), buffered: await m.evicted(s.user, s.id) };
    expect(await m.commitSummary(s.user, s.id, { ...commit }, key)).toEqual(first);
    // Without the key the same commit is stale, as it should be.
    await expect(m.commitSummary(s.user, s.id, commit)).rejects.toBeInstanceOf(ConflictError);
    await expect(m.commitSummary(s.user, s.id, { ...commit, summary: 'other' }, key)).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    // Nothing was committed a second time: the version, the summary and the buffer are as the first commit left them.
    expect({ window: await m.read(s.user, s.id), buffered: await m.evicted(s.user, s.id) }).toEqual(afterFirst);
    expect(afterFirst.buffered!.summaryVersion).toBe(1);
  });

  it('leaves the buffer intact when the summarizer fails or times out', async () => {
    const s = await newSession();
    const failing = new ShortTermMemory(ctx.store, { maxTokens: 20, summarize: async () => Promise.reject(new Error('model down')) });
    for (const tag of ['a', 'b', 'c']) await failing.append(s.user, s.id, { role: 'user', content: text(10, tag) });
    const before = await failing.evicted(s.user, s.id);
    expect(before!.messages).toHaveLength(1);
    await expect(failing.summarizeNow(s.user, s.id)).rejects.toThrow('model down');
    const slow = new ShortTermMemory(ctx.store, { maxTokens: 20, summarizeTimeoutMs: 50, summarize: () => new Promise(() => {}) });
    await expect(slow.summarizeNow(s.user, s.id)).rejects.toThrow(/took over 50 ms/);
    expect(await failing.evicted(s.user, s.id)).toEqual(before);
    expect((await failing.read(s.user, s.id))!.summary).toBeNull();
  });
});
