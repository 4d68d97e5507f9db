import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { ALICE_KEY, BOB_KEY } from '../../test/support/secrets.js';
import { createAuthenticator } from './auth.js';

const presenting = (key: string) => ({ headers: { authorization: `Bearer ${key}` } }) as unknown as FastifyRequest;
/** `key` with its last character changed: same length, one character off. */
const nearMiss = (key: string) => `${key.slice(0, -1)}${key.endsWith('x') ? 'y' : 'x'}`;

// Regression guard for the remembered keys: a key verified once skips the digest on its next requests, and that
// shortcut must never let anything but that exact key through, nor mix up two users.
describe('createAuthenticator remembering verified keys', () => {
  const verify = createAuthenticator([
    { userId: 'alice', key: ALICE_KEY },
    { userId: 'bob', key: BOB_KEY },
  ]);

  it('still refuses a near miss, a prefix or an extension of a key it has verified', () => {
    expect(verify(presenting(ALICE_KEY))?.userId).toBe('alice');
    for (const guess of [nearMiss(ALICE_KEY), ALICE_KEY.slice(0, -1), `${ALICE_KEY}0`, ALICE_KEY.toUpperCase()]) {
      expect(verify(presenting(guess)), guess.length.toString()).toBeUndefined();
    }
    // And the guesses left nothing behind that the key itself would now be refused by.
    expect(verify(presenting(ALICE_KEY))?.userId).toBe('alice');
  });

  it('remembers a header text only as the Bearer form of the key it carried', () => {
    // A valid X-API-Key beside another Authorization must not make that Authorization text pass on its own.
    const both = { headers: { authorization: 'Basic Zm9vOmJhcg==', 'x-api-key': BOB_KEY } } as unknown as FastifyRequest;
    expect(verify(both)?.userId).toBe('bob');
    expect(verify({ headers: { authorization: 'Basic Zm9vOmJhcg==' } } as unknown as FastifyRequest)).toBeUndefined();
    expect(verify(presenting(BOB_KEY))?.userId).toBe('bob');
    expect(verify(presenting(BOB_KEY))?.userId).toBe('bob');
    expect(verify(presenting(nearMiss(BOB_KEY)))).toBeUndefined();
  });

  it('answers each verified key with its own user, however often and in whatever order', () => {
    for (let i = 0; i < 3; i++) {
      expect(verify(presenting(BOB_KEY))).toEqual({ userId: 'bob', bucket: 'user:bob' });
      expect(verify(presenting(ALICE_KEY))).toEqual({ userId: 'alice', bucket: 'user:alice' });
    }
  });
});
