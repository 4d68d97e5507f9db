import { describe, expect, it } from 'vitest';
import { allBackends, openRedisStore, sendToEveryServer, useStore, untilNoticedDown } from '../../test/support/stores.js';
import { startRedisServer } from '../../test/support/redis-server.js';
import { CapacityError, StoreUnavailableError, ValidationError } from '../errors.js';
import { SHORT_TERM_TTL } from '../keys.js';
import { sessionKeys } from '../sessions/session-keys.js';
import { SessionStore } from '../sessions/session-store.js';
import { ShortTermMemory, type ShortTermMemoryOptions } from './short-term-memory.js';
import { countTokens } from './tokens.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let users = 0;
const newUser = (name: string) => `${name}-${process.pid}-${++users}`;

/** Text of exactly `n` cl100k_base tokens (" x" is one token each). */
const text = (n: number, tag = 'x') => ` ${tag}`.repeat(n);

describe('countTokens', () => {
  it('counts cl100k_base tokens, special markers as plain text', async () => {
    expect(await countTokens('hello world')).toBe(2);
    expect(await countTokens('')).toBe(0);
    expect(await countTokens(text(7))).toBe(7);
    expect(await countTokens(text(5, 'y'))).toBe(5);
    expect(await countTokens('<|endoftext|>')).toBeGreaterThan(1);
  });
});

describe.each(allBackends)('ShortTermMemory on %s', (backend) => {
  const ctx = useStore(backend);
  const memory = (options: ShortTermMemoryOptions = {}) => new ShortTermMemory(ctx.store, options);
  const newSession = async (user = newUser('alice'), ttlSeconds?: number) => {
    const session = await new SessionStore(ctx.store, ttlSeconds ? { ttlSeconds } : {}).create(user, { agentId: 'agent' });
    return { user, id: session.sessionId };
  };
  const contents = async (m: ShortTermMemory, s: { user: string; id: string }) =>
    (await m.read(s.user, s.id))!.messages.map((message) => message.content);
  /** Each key expires with a session made with a 300 s TTL a moment ago. */
  const expectSessionExpiry = async (keys: string[]) => {
    for (const key of keys) {
      const ttl = await ctx.store.ttl(key);
      expect(ttl, key).toBeGreaterThan(290);
      expect(ttl, key).toBeLessThanOrEqual(300);
    }
  };

  it('clear empties the window in one step, keeping the session, its checkpoints and a fresh budget', async () => {
    const s = await newSession();
    const m = memory({ maxTokens: 1000 });
    await m.append(s.user, s.id, { role: 'system', content: 'Rule.' });
    await m.append(s.user, s.id, { role: 'user', content: 'Hello' });
    const saved = await m.checkpoint(s.user, s.id);
    expect(await m.clear(s.user, s.id)).toBe(true);
    expect(await m.read(s.user, s.id)).toMatchObject({ messages: [], tokenUsage: { used: 0 } });
    expect(await m.listCheckpoints(s.user, s.id)).toHaveLength(1);
    await m.append(s.user, s.id, { role: 'user', content: 'Again' });
    expect(await contents(m, s)).toEqual(['Again']);
    expect(await m.restore(s.user, s.id, saved!.checkpointId)).toEqual({ restoredMessageCount: 2 });
    // Another user's session of the same id is a missing one: nothing is cleared.
    expect(await m.clear(newUser('bob'), s.id)).toBe(false);
    expect(await contents(m, s)).toEqual(['Rule.', 'Hello']);
  });

  it('appends messages and reads them back oldest first with the token usage', async () => {
    const s = await newSession();
    const m = memory({ maxTokens: 1000 });
    const first = await m.append(s.user, s.id, { role: 'system', content: 'You are terse.' });
    expect(first).toEqual({
      message: {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        role: 'system',
        content: 'You are terse.',
        tokens: await countTokens('You are terse.'),
        createdAt: expect.stringMatching(/Z$/),
      },
      tokenUsage: { used: first!.message.tokens, max: 1000, percentage: Math.round((first!.message.tokens / 1000) * 1000) / 10 },
      evicted: [],
    });
    await m.append(s.user, s.id, { role: 'user', content: 'héllo ✓ 你好' });
    await m.append(s.user, s.id, { role: 'assistant', content: 'Hi.', toolCalls: [{ id: 'call_1', name: 'read', arguments: '{"path":"a/b"}' }] });
    await m.append(s.user, s.id, { role: 'tool', content: '{"ok":true,"path":"a/b"}', toolCallId: 'call_1' });
    await m.append(s.user, s.id, { role: 'system', content: 'Later rule.' });
    const window = await m.read(s.user, s.id);
    expect(window!.messages.map((msg) => [msg.role, msg.content])).toEqual([
      ['system', 'You are terse.'],
      ['user', 'héllo ✓ 你好'],
      ['assistant', 'Hi.'],
      ['tool', '{"ok":true,"path":"a/b"}'],
      ['system', 'Later rule.'],
    ]);
    expect(window!.messages[0]).toEqual(first!.message);
    const total = window!.messages.reduce((sum, msg) => sum + msg.tokens, 0);
    expect(window!.tokenUsage).toEqual({ used: total, max: 1000, percentage: Math.round((total / 1000) * 1000) / 10 });
  });

  it('reads an empty window for a new session', async () => {
    const s = await newSession();
    expect(await memory().read(s.user, s.id)).toEqual({ messages: [], summary: null, tokenUsage: { used: 0, max: 4000, percentage: 0 } });
  });

  it('answers null for a missing session or another user’s, and writes nothing for it', async () => {
    const s = await newSession();
    const bob = newUser('bob');
    const m = memory();
    await m.append(s.user, s.id, { role: 'user', content: 'secret' });
    expect(await m.append(bob, s.id, { role: 'user', content: 'intrusion' })).toBeNull();
    expect(await m.read(bob, s.id)).toBeNull();
    expect(await m.checkpoint(bob, s.id)).toBeNull();
    expect(await m.listCheckpoints(bob, s.id)).toBeNull();
    expect(await m.append(s.user, 'no-such-session', { role: 'user', content: 'x' })).toBeNull();
    const bobKeys = sessionKeys(bob, s.id);
    for (const key of [bobKeys.systemMessages, bobKeys.conversation, bobKeys.windowState, bobKeys.checkpoints]) {
      expect(await ctx.store.exists(key)).toBe(false);
    }
    expect(await contents(m, s)).toEqual(['secret']);
  });

  it('evicts the oldest non-system messages at the budget and keeps system messages', async () => {
    const s = await newSession();
    const m = memory({ maxTokens: 20 });
    await m.append(s.user, s.id, { role: 'user', content: text(5, 'a') });
    await m.append(s.user, s.id, { role: 'system', content: text(5, 's') });
    const b = await m.append(s.user, s.id, { role: 'assistant', content: text(5, 'b') });
    await m.append(s.user, s.id, { role: 'user', content: text(5, 'c') });
    expect((await m.read(s.user, s.id))!.tokenUsage).toEqual({ used: 20, max: 20, percentage: 100 });
    const [a] = (await m.read(s.user, s.id))!.messages;

    // Needs 8 tokens: the two oldest non-system messages go, the system message that sits between them stays.
    const d = await m.append(s.user, s.id, { role: 'assistant', content: text(8, 'd') });
    expect(d!.evicted).toEqual([a!.id, b!.message.id]);
    expect(d!.tokenUsage.used).toBe(18);
    expect(await contents(m, s)).toEqual([text(5, 's'), text(5, 'c'), text(8, 'd')]);

    // A system message also makes room by evicting conversation, never another system message.
    const s2 = await m.append(s.user, s.id, { role: 'system', content: text(6, 't') });
    expect(s2!.evicted).toHaveLength(1);
    expect(await contents(m, s)).toEqual([text(5, 's'), text(8, 'd'), text(6, 't')]);
    expect((await m.read(s.user, s.id))!.tokenUsage.used).toBe(19);
  });

  it('refuses a message larger than the whole budget with CapacityError and changes nothing', async () => {
    const s = await newSession();
    const m = memory({ maxTokens: 20 });
    await m.append(s.user, s.id, { role: 'user', content: text(10) });
    const before = await m.read(s.user, s.id);
    const refused = m.append(s.user, s.id, { role: 'user', content: text(21) });
    await expect(refused).rejects.toBeInstanceOf(CapacityError);
    await expect(refused).rejects.toMatchObject({ field: 'content' });
    // In a turn, the first message too large is the one named.
    const turn = m.appendTurn(s.user, s.id, [{ role: 'user', content: text(2) }, { role: 'user', content: text(22) }, { role: 'user', content: text(21) }]);
    await expect(turn).rejects.toMatchObject({ field: 'messages[1]', message: expect.stringContaining('22 tokens') });
    expect(await m.read(s.user, s.id)).toEqual(before);
  });

  it('refuses a message that cannot fit beside the system messages, evicting nothing', async () => {
    const s = await newSession();
    const m = memory({ maxTokens: 20 });
    await m.append(s.user, s.id, { role: 'system', content: text(15, 's') });
    await m.append(s.user, s.id, { role: 'user', content: text(3) });
    const before = await m.read(s.user, s.id);
    await expect(m.append(s.user, s.id, { role: 'user', content: text(6) })).rejects.toBeInstanceOf(CapacityError);
    await expect(m.append(s.user, s.id, { role: 'system', content: text(6) })).rejects.toBeInstanceOf(CapacityError);
    expect(await m.read(s.user, s.id)).toEqual(before);
    // Exactly what fits beside the system messages is accepted, evicting the rest.
    const fits = await m.append(s.user, s.id, { role: 'user', content: text(5) });
    expect(fits!.evicted).toHaveLength(1);
    expect(fits!.tokenUsage.used).toBe(20);
  });

  it('validates role and content, naming the field', async () => {
    const s = await newSession();
    const m = memory({ maxMessageBytes: 64 });
    await expect(m.append(s.user, s.id, { role: 'robot' as never, content: 'x' })).rejects.toMatchObject({ field: 'role' });
    await expect(m.append(s.user, s.id, { role: 'user', content: 42 as never })).rejects.toMatchObject({ field: 'content' });
    await expect(m.append(s.user, s.id, { role: 'user', content: 'x'.repeat(65) })).rejects.toMatchObject({ field: 'content' });
    // The limit is in UTF-8 bytes, not characters: 22 three-byte characters are 66 bytes.
    await expect(m.append(s.user, s.id, { role: 'user', content: '✓'.repeat(22) })).rejects.toBeInstanceOf(ValidationError);
    await expect(m.append(s.user, s.id, { role: 'user', content: 'bad \uD800 half' })).rejects.toMatchObject({ field: 'content' });
    expect(await m.append(s.user, s.id, { role: 'user', content: 'x'.repeat(64) })).not.toBeNull();
    expect(await contents(m, s)).toEqual(['x'.repeat(64)]);
  });

  // Regression: concurrent appends lost a message (the original read the whole window, appended and wrote it back).
  it('keeps all of 50 concurrent appends, each exactly once', async () => {
    const s = await newSession();
    const m = memory({ maxTokens: 100_000 });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => m.append(s.user, s.id, { role: i % 2 ? 'user' : 'assistant', content: `message ${i}` })),
    );
    const window = await m.read(s.user, s.id);
    expect(window!.messages).toHaveLength(50);
    expect(window!.messages.map((msg) => msg.content).sort()).toEqual(Array.from({ length: 50 }, (_, i) => `message ${i}`).sort());
    expect(new Set(window!.messages.map((msg) => msg.id))).toEqual(new Set(results.map((r) => r!.message.id)));
    expect(window!.tokenUsage.used).toBe(window!.messages.reduce((sum, msg) => sum + msg.tokens, 0));
  });

  it('keeps the window consistent when 50 concurrent appends overflow the budget', async () => {
    const s = await newSession();
    const m = memory({ maxTokens: 50 });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => m.append(s.user, s.id, { role: 'user', content: text(5, `w${i}`) })));
    const window = await m.read(s.user, s.id);
    const kept = window!.messages.map((msg) => msg.id);
    const evicted = results.flatMap((r) => r!.evicted);
    // Every message is either still there or was reported evicted, never both, never twice.
    expect([...kept, ...evicted].sort()).toEqual(results.map((r) => r!.message.id).sort());
    expect(window!.tokenUsage.used).toBe(window!.messages.reduce((sum, msg) => sum + msg.tokens, 0));
    expect(window!.tokenUsage.used).toBeLessThanOrEqual(50);
  });

  it('keeps the window SHORT_TERM_TTL after each read and write, never past its session', async () => {
    const s = await newSession();
    const m = memory();
    const keys = sessionKeys(s.user, s.id);
    await m.append(s.user, s.id, { role: 'user', content: 'hi' });
    expect(await ctx.store.ttl(keys.conversation)).toBeGreaterThan(SHORT_TERM_TTL - 5);
    await ctx.store.expire(keys.conversation, 5);
    await ctx.store.expire(keys.windowState, 5);
    await m.read(s.user, s.id);
    expect(await ctx.store.ttl(keys.conversation)).toBeGreaterThan(SHORT_TERM_TTL - 5);
    expect(await ctx.store.ttl(keys.windowState)).toBeGreaterThan(SHORT_TERM_TTL - 5);

    const brief = await newSession(newUser('alice'), 60);
    await m.append(brief.user, brief.id, { role: 'user', content: 'hi' });
    expect(await ctx.store.ttl(sessionKeys(brief.user, brief.id).conversation)).toBeLessThanOrEqual(60);
  });

  it('gives every window key the session TTL, including keys an append creates after the first', async () => {
    const s = await newSession(newUser('alice'), 300);
    const m = memory({ maxTokens: 12 });
    const keys = sessionKeys(s.user, s.id);
    await m.append(s.user, s.id, { role: 'user', content: text(4) });
    await m.append(s.user, s.id, { role: 'system', content: text(2) });
    await m.append(s.user, s.id, { role: 'user', content: text(4) });
    const evicting = await m.append(s.user, s.id, { role: 'user', content: text(4) });
    expect(evicting!.evicted).toHaveLength(1);
    await expectSessionExpiry([keys.systemMessages, keys.conversation, keys.windowState, keys.evicted]);
  });

  it('keeps the window with its session when a list is emptied and made again, or a key lost its expiry', async () => {
    const s = await newSession(newUser('alice'), 300);
    const m = memory({ maxTokens: 1000 });
    const keys = sessionKeys(s.user, s.id);
    const only = await m.append(s.user, s.id, { role: 'user', content: 'first' });
    await m.delete(s.user, s.id, only!.message.id);
    // The conversation list is gone with its last message; the next append makes it again.
    await m.append(s.user, s.id, { role: 'user', content: 'second' });
    // A window key whose expiry moved (here by hand) is set back to the session's on the next append.
    await ctx.store.expire(keys.windowState, 5);
    await ctx.store.expire(keys.systemMessages, 5);
    await m.append(s.user, s.id, { role: 'system', content: 'third' });
    await expectSessionExpiry([keys.systemMessages, keys.conversation, keys.windowState]);
  });

  it('keeps the conversation with its session when eviction empties it down to the message that stays', async () => {
    const s = await newSession(newUser('alice'), 300);
    const m = memory({ maxTokens: 100 });
    await m.append(s.user, s.id, { role: 'assistant', content: text(30), toolCalls: [{ id: 'call_1', name: 'read', arguments: '{}' }] });
    await m.append(s.user, s.id, { role: 'tool', content: text(30), toolCallId: 'call_1' });
    // Evicting the tool-call unit moves the new message out too (to see where the unit ends) and back: the list
    // was empty in between, so Redis made it anew.
    const last = await m.append(s.user, s.id, { role: 'user', content: text(60) });
    expect(last!.evicted).toHaveLength(2);
    // Before any read: a read sets the window's expiry again.
    await expectSessionExpiry([sessionKeys(s.user, s.id).conversation]);
    expect(await contents(m, s)).toEqual([text(60)]);
  });

  it('does not resurrect a window for an expired session', async () => {
    const s = await newSession(newUser('alice'), 2);
    const m = memory();
    expect(await m.append(s.user, s.id, { role: 'user', content: 'hi' })).not.toBeNull();
    await sleep(2150);
    expect(await m.append(s.user, s.id, { role: 'user', content: 'again' })).toBeNull();
    expect(await m.read(s.user, s.id)).toBeNull();
    expect(await ctx.store.exists(sessionKeys(s.user, s.id).conversation)).toBe(false);
  });

  it('checkpoints the window and restores it, replacing whatever came after', async () => {
    const s = await newSession();
    const m = memory();
    await m.append(s.user, s.id, { role: 'system', content: 'rules' });
    await m.append(s.user, s.id, { role: 'user', content: 'one' });
    const saved = await m.read(s.user, s.id);
    const checkpoint = await m.checkpoint(s.user, s.id);
    expect(checkpoint).toEqual({ checkpointId: expect.stringMatching(/^[0-9a-f-]{36}$/), createdAt: expect.stringMatching(/Z$/), messageCount: 2 });

    await m.append(s.user, s.id, { role: 'assistant', content: 'two' });
    await m.append(s.user, s.id, { role: 'system', content: 'more rules' });
    expect(await m.restore(s.user, s.id, checkpoint!.checkpointId)).toEqual({ restoredMessageCount: 2 });
    expect(await m.read(s.user, s.id)).toEqual(saved);

    // What comes after the restore is ordered after the restored messages.
    await m.append(s.user, s.id, { role: 'user', content: 'three' });
    expect(await contents(m, s)).toEqual(['rules', 'one', 'three']);
    expect(await m.listCheckpoints(s.user, s.id)).toEqual([checkpoint]);
  });

  it('restores after the window itself expired, without reordering later messages', async () => {
    const s = await newSession();
    const m = memory();
    await m.append(s.user, s.id, { role: 'user', content: 'one' });
    await m.append(s.user, s.id, { role: 'user', content: 'two' });
    const checkpoint = await m.checkpoint(s.user, s.id);
    const keys = sessionKeys(s.user, s.id);
    await ctx.store.delete([keys.systemMessages, keys.conversation, keys.windowState]);
    expect(await contents(m, s)).toEqual([]);
    await m.restore(s.user, s.id, checkpoint!.checkpointId);
    await m.append(s.user, s.id, { role: 'user', content: 'three' });
    expect(await contents(m, s)).toEqual(['one', 'two', 'three']);
  });

  it('answers null for a missing checkpoint, another session’s, or another user’s, and changes nothing', async () => {
    const s = await newSession();
    const other = await newSession(s.user);
    const m = memory();
    await m.append(s.user, s.id, { role: 'user', content: 'mine' });
    await m.append(other.user, other.id, { role: 'user', content: 'other' });
    const otherCheckpoint = await m.checkpoint(other.user, other.id);
    expect(await m.restore(s.user, s.id, 'no-such-checkpoint')).toBeNull();
    expect(await m.restore(s.user, s.id, otherCheckpoint!.checkpointId)).toBeNull();
    expect(await m.restore(newUser('bob'), other.id, otherCheckpoint!.checkpointId)).toBeNull();
    await expect(m.restore(s.user, s.id, 'a:b')).rejects.toMatchObject({ field: 'checkpoint_id' });
    expect(await contents(m, s)).toEqual(['mine']);
  });

  it('keeps at most maxCheckpoints, dropping the oldest, and lists them oldest first', async () => {
    const s = await newSession();
    const m = memory({ maxCheckpoints: 3 });
    const made = [];
    for (let i = 0; i < 5; i++) {
      await m.append(s.user, s.id, { role: 'user', content: `m${i}` });
      made.push(await m.checkpoint(s.user, s.id));
    }
    const listed = await m.listCheckpoints(s.user, s.id);
    expect(listed).toEqual(made.slice(2));
    expect(listed!.map((c) => c.messageCount)).toEqual([3, 4, 5]);
    expect(await m.restore(s.user, s.id, made[0]!.checkpointId)).toBeNull();
  });

  it('forgets checkpoints after their TTL', async () => {
    const s = await newSession();
    const m = memory({ checkpointTtlSeconds: 1 });
    await m.append(s.user, s.id, { role: 'user', content: 'hi' });
    const checkpoint = await m.checkpoint(s.user, s.id);
    expect(await ctx.store.ttl(sessionKeys(s.user, s.id).checkpoints)).toBeLessThanOrEqual(1);
    await sleep(1150);
    expect(await m.restore(s.user, s.id, checkpoint!.checkpointId)).toBeNull();
    expect(await m.listCheckpoints(s.user, s.id)).toEqual([]);
  });

  it('keeps 20 concurrent checkpoints and restores from any of them', async () => {
    const s = await newSession();
    const m = memory({ maxCheckpoints: 50 });
    await m.append(s.user, s.id, { role: 'user', content: 'hi' });
    const made = await Promise.all(Array.from({ length: 20 }, () => m.checkpoint(s.user, s.id)));
    expect((await m.listCheckpoints(s.user, s.id))!.map((c) => c.checkpointId).sort()).toEqual(made.map((c) => c!.checkpointId).sort());
  });

  if (backend !== 'memory') {
    it('still appends after the server forgot its scripts', async () => {
      const s = await newSession();
      const m = memory();
      await m.append(s.user, s.id, { role: 'user', content: 'before' });
      await sendToEveryServer(ctx.store, ['SCRIPT', 'FLUSH']);
      await m.append(s.user, s.id, { role: 'user', content: 'after' });
      expect(await contents(m, s)).toEqual(['before', 'after']);
    });
  }
});

describe('ShortTermMemory when Redis goes away', () => {
  // The original turned a failed read into an empty window and wrote that back, wiping the conversation.
  it('rejects with StoreUnavailableError and the window is intact once Redis is back', async () => {
    const server = await startRedisServer({ args: ['--appendonly', 'yes', '--appendfsync', 'always'] });
    const store = openRedisStore(server.url, { commandTimeoutMs: 300 });
    await store.connect(5000);
    try {
      const session = await new SessionStore(store).create('alice', { agentId: 'a' });
      const m = new ShortTermMemory(store);
      await m.append('alice', session.sessionId, { role: 'user', content: 'kept' });
      const before = await m.read('alice', session.sessionId);
      await server.kill();
      await untilNoticedDown(store);
      await expect(m.read('alice', session.sessionId)).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(m.append('alice', session.sessionId, { role: 'user', content: 'lost' })).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(m.checkpoint('alice', session.sessionId)).rejects.toBeInstanceOf(StoreUnavailableError);
      await server.start();
      for (let tries = 0; ; tries++) {
        try {
          await store.ping();
          break;
        } catch (err) {
          if (tries > 100) throw err;
          await sleep(50);
        }
      }
      expect(await m.read('alice', session.sessionId)).toEqual(before);
    } finally {
      await store.close();
      await server.stop();
    }
  });
});
