import { describe, expect, it } from 'vitest';
import { backends, useStore } from '../../test/support/stores.js';
import { ValidationError } from '../errors.js';
import { SessionStore } from '../sessions/session-store.js';
import { ShortTermMemory } from './short-term-memory.js';
import { countTokens, type TokenEncoding } from './tokens.js';

/** Text whose token counts differ a lot between the two encodings (o200k_base has far more Devanagari merges). */
const HINDI = 'नमस्ते दुनिया, आप कैसे हैं? मैं ठीक हूँ, धन्यवाद।';

let users = 0;
const newUser = () => `enc-${process.pid}-${++users}`;

describe.each(backends)('a token encoding per session on %s', (backend) => {
  const ctx = useStore(backend);
  /** The service's wiring: the session store reports the encoding the window counts in by default. */
  const wired = (configured: TokenEncoding) => ({
    sessions: new SessionStore(ctx.store, { tokenEncoding: configured }),
    memory: new ShortTermMemory(ctx.store, { maxTokens: 1000, tokenEncoding: configured }),
  });

  it('counts the window in the encoding the session chose, and a session without one in the configured default', async () => {
    const [cl100k, o200k] = [await countTokens(HINDI, 'cl100k_base'), await countTokens(HINDI, 'o200k_base')];
    expect(cl100k).not.toBe(o200k);
    for (const configured of ['cl100k_base', 'o200k_base'] as const) {
      const { sessions, memory } = wired(configured);
      const user = newUser();
      for (const chosen of [undefined, 'cl100k_base', 'o200k_base'] as const) {
        const session = await sessions.create(user, { agentId: 'a', ...(chosen ? { tokenEncoding: chosen } : {}) });
        const encoding = chosen ?? configured;
        expect(session.tokenEncoding).toBe(encoding);
        expect((await sessions.get(user, session.sessionId))!.tokenEncoding).toBe(encoding);
        const expected = encoding === 'cl100k_base' ? cl100k : o200k;
        const appended = await memory.append(user, session.sessionId, { role: 'user', content: HINDI });
        expect(appended!.message.tokens, `${String(chosen)} under ${configured}`).toBe(expected);
        const turn = await memory.appendTurn(user, session.sessionId, [{ role: 'assistant', content: HINDI }]);
        expect(turn!.messages[0]!.tokens).toBe(expected);
        expect((await memory.read(user, session.sessionId))!.tokenUsage.used).toBe(2 * expected);
      }
    }
  });

  it('remembers a session’s choice in another ShortTermMemory too (it is read from the session, not the instance)', async () => {
    const { sessions } = wired('cl100k_base');
    const user = newUser();
    const { sessionId } = await sessions.create(user, { agentId: 'a', tokenEncoding: 'o200k_base' });
    const elsewhere = new ShortTermMemory(ctx.store, { maxTokens: 1000 });
    expect((await elsewhere.append(user, sessionId, { role: 'user', content: HINDI }))!.message.tokens).toBe(await countTokens(HINDI, 'o200k_base'));
  });

  it('counts a committed summary in the session’s encoding', async () => {
    const { sessions, memory } = wired('cl100k_base');
    const small = new ShortTermMemory(ctx.store, { maxTokens: 40 });
    const user = newUser();
    const { sessionId } = await sessions.create(user, { agentId: 'a', tokenEncoding: 'o200k_base' });
    for (let i = 0; i < 3; i++) await small.append(user, sessionId, { role: 'user', content: HINDI });
    const buffered = (await small.evicted(user, sessionId))!;
    expect(buffered.messages.length).toBeGreaterThan(0);
    const before = (await memory.read(user, sessionId))!.tokenUsage.used;
    const committed = (await small.commitSummary(user, sessionId, { summary: 'नमस्ते', throughId: buffered.messages.at(-1)!.id, summaryVersion: buffered.summaryVersion }))!;
    const evictedTokens = committed.evicted.length === 0 ? 0 : (await countTokens(HINDI, 'o200k_base')) * committed.evicted.length;
    expect(committed.tokenUsage.used).toBe(before + (await countTokens('नमस्ते', 'o200k_base')) - evictedTokens);
  });

  it('refuses an encoding it does not know, naming the field and the ones it takes, creating nothing', async () => {
    const { sessions } = wired('cl100k_base');
    const user = newUser();
    for (const bad of ['p50k_base', 'CL100K_BASE', '', 7]) {
      const failure = await sessions.create(user, { agentId: 'a', tokenEncoding: bad as TokenEncoding }).catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(ValidationError);
      expect((failure as ValidationError).field).toBe('tokenEncoding');
      expect((failure as Error).message).toContain('cl100k_base, o200k_base');
    }
    expect(await sessions.list(user)).toEqual([]);
  });
});
