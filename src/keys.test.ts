import { describe, expect, it } from 'vitest';
import { backends, uniqueNamespace, useStore } from '../test/support/stores.js';
import { CacheService } from './cache/cache-service.js';
import { ValidationError } from './errors.js';
import {
  assertId,
  assertScopedPattern,
  hashTag,
  HashTag,
  KEY_PREFIX,
  LONG_TERM_TTL,
  makeKey,
  keyBelow,
  makePattern,
  SESSION_TTL,
  SHORT_TERM_TTL,
} from './keys.js';

/**
 * Ids an attacker could send in a path or body, each aimed at escaping its segment: a separator, glob syntax that
 * SCAN MATCH would interpret, a hash tag that changes the cluster slot, or text that is hard to see in a key.
 */
const CRAFTED_IDS: Array<[string, string]> = [
  ['a separator', 'a:b'],
  ['a trailing separator', 'bob:'],
  ['a star', '*'],
  ['a star suffix', 'al*'],
  ['a question mark', '?'],
  ['a character class', '[x]'],
  ['a lone bracket', 'a['],
  ['a hash tag', '{t}'],
  ['a backslash', '\\'],
  ['an escaped star', '\\*'],
  ['an empty string', ''],
  ['300 characters', 'a'.repeat(300)],
  ['a lone high surrogate', 'user\uD800'],
  ['a lone low surrogate', '\uDC00user'],
  ['a space', 'a b'],
  ['a tab', 'a\tb'],
  ['a newline', 'a\nb'],
  ['a carriage return', 'a\r'],
  ['a NUL', 'a\u0000b'],
  ['a DEL', 'a\u007f'],
  ['a non-breaking space', 'a\u00a0b'],
  ['a zero-width space', 'a\u200bb'],
  ['a right-to-left override', 'a\u202eb'],
  ['a letter outside ASCII', 'usér'],
];

describe('makeKey', () => {
  it("builds the guide's examples", () => {
    expect(makeKey('session', 'user123', 'data')).toBe('remembr:session:user123:data');
    expect(makeKey('agent', 'agent456', 'state')).toBe('remembr:agent:agent456:state');
    expect(makeKey('cache', 'embeddings', 'episode789')).toBe('remembr:cache:embeddings:episode789');
  });

  it('starts every key with the prefix and accepts whole numbers as parts', () => {
    expect(KEY_PREFIX).toBe('remembr');
    expect(makeKey('user', 123, 'name')).toBe('remembr:user:123:name');
    expect(makeKey('counter', -4)).toBe('remembr:counter:-4');
    expect(makeKey('session')).toBe('remembr:session');
  });

  it('accepts the punctuation that ids commonly carry', () => {
    expect(makeKey('user', 'a.b@example.com', 'x_y-z+1=2~3/4')).toBe('remembr:user:a.b@example.com:x_y-z+1=2~3/4');
  });

  it.each(CRAFTED_IDS)('refuses a part with %s', (_label, id) => {
    expect(() => makeKey('session', id, 'data')).toThrow(ValidationError);
    expect(() => makeKey('session', 'user123', id)).toThrow(ValidationError);
  });

  it('keyBelow extends a built key exactly as makeKey would, and checks the parts it adds', () => {
    const base = makeKey('session', hashTag('u1'), 's1');
    expect(keyBelow(base, 'window', 'state')).toBe(makeKey('session', hashTag('u1'), 's1', 'window', 'state'));
    for (const [, id] of CRAFTED_IDS) expect(() => keyBelow(base, id)).toThrow(ValidationError);
  });

  it.each(CRAFTED_IDS)('refuses a namespace with %s', (_label, id) => {
    expect(() => makeKey(id, 'user123')).toThrow(ValidationError);
  });

  it('refuses numbers that are not safe whole numbers', () => {
    for (const bad of [1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 2]) {
      expect(() => makeKey('n', bad)).toThrow(ValidationError);
    }
  });

  it('refuses values that are not strings or numbers at all', () => {
    for (const bad of [null, undefined, {}, ['a'], true]) {
      expect(() => makeKey('n', bad as never)).toThrow(ValidationError);
    }
  });

  it('names the offending part in its message and marks the field as key', () => {
    const error = catchError(() => makeKey('session', 'ok', 'a:b'));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toContain('part 2');
    expect((error as ValidationError).field).toBe('key');
  });

  it('accepts a part of 200 characters and refuses one of 201', () => {
    expect(makeKey('n', 'a'.repeat(200))).toHaveLength('remembr:n:'.length + 200);
    expect(() => makeKey('n', 'a'.repeat(201))).toThrow(/longer than 200/);
  });
});

describe('hashTag', () => {
  it('wraps a part in braces so keys of one operation share a cluster slot', () => {
    expect(makeKey('memory', hashTag('user1'), 'window')).toBe('remembr:memory:{user1}:window');
    expect(makeKey('memory', hashTag(42))).toBe('remembr:memory:{42}');
  });

  it('cannot be forged by a string that looks like one', () => {
    expect(() => makeKey('memory', '{user1}', 'window')).toThrow(ValidationError);
  });

  it.each(CRAFTED_IDS)('refuses a tag with %s', (_label, id) => {
    expect(() => hashTag(id)).toThrow(ValidationError);
  });

  // Regression: the HashTag constructor took any string, so `new HashTag('x}:*')` put glob syntax into a key.
  it.each(CRAFTED_IDS)('refuses a tag built with the constructor from %s', (_label, id) => {
    expect(() => new HashTag(id)).toThrow(ValidationError);
  });
});

describe('makePattern', () => {
  it('matches everything below a key, never the key prefix of a longer id', () => {
    expect(makePattern('session', 'user123')).toBe('remembr:session:user123:*');
    expect(makePattern('cache')).toBe('remembr:cache:*');
  });

  it.each(CRAFTED_IDS)('refuses a part with %s', (_label, id) => {
    expect(() => makePattern('session', id)).toThrow(ValidationError);
  });
});

describe('assertScopedPattern', () => {
  it.each([
    'remembr:session:*',
    'remembr:session:user123:*',
    'remembr:cache:embeddings:ep?',
    'remembr:cache:[ab]*',
    'remembr:session:user123:data',
  ])('accepts %s', (pattern) => {
    expect(() => assertScopedPattern(pattern)).not.toThrow();
  });

  it.each([
    ['a bare star', '*'],
    ['an empty pattern', ''],
    ['the prefix alone', 'remembr:*'],
    ['the prefix without a separator', 'remembr*'],
    ['a namespace that is itself a wildcard', 'remembr:*:user123:*'],
    ['a namespace with a star in it', 'remembr:sess*:x'],
    ['a namespace with a question mark', 'remembr:sessio?:x'],
    ['a namespace with a class', 'remembr:[s]ession:x'],
    ['a namespace with an escape', 'remembr:session\\:x'],
    ['a namespace without a closing separator', 'remembr:session'],
    ['a key of another application', 'other:session:*'],
    ['a prefix that only starts like ours', 'remembrX:session:*'],
    ['a wildcard before the prefix', '*remembr:session:*'],
    ['a class before the prefix', '[r]embr:session:*'],
  ])('refuses %s', (_label, pattern) => {
    expect(() => assertScopedPattern(pattern)).toThrow(ValidationError);
  });

  it('refuses a pattern that is not a string', () => {
    expect(() => assertScopedPattern(undefined as never)).toThrow(ValidationError);
    expect(() => assertScopedPattern(42 as never)).toThrow(ValidationError);
  });
});

describe('assertId', () => {
  it('returns a well-formed id unchanged', () => {
    expect(assertId('user-123_a.b', 'user_id')).toBe('user-123_a.b');
    expect(assertId('x'.repeat(128), 'user_id')).toHaveLength(128);
  });

  it.each([...CRAFTED_IDS, ['129 characters', 'x'.repeat(129)], ['an at sign', 'a@b'], ['a slash', 'a/b']])(
    'refuses an id with %s and names the field',
    (_label, id) => {
      const error = catchError(() => assertId(id, 'session_id'));
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe('session_id');
      expect(error.message).toContain('session_id');
    },
  );

  // Regression: only the HTTP shell refused "." and "..", so a library caller could write a session, task or
  // checkpoint under an id that no HTTP client can address (URL parsers rewrite such a path segment).
  it.each(['.', '..'])('refuses %j, as the HTTP id rule does, saying why', (id) => {
    const error = catchError(() => assertId(id, 'task_id'));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('task_id');
    expect(error.message).toBe('task_id must not be "." or "..": URLs rewrite them, so the id could not be read back over HTTP');
  });

  it('still takes ids that merely contain dots', () => {
    for (const id of ['...', '.a', 'a.', 'a..b', '.hidden']) expect(assertId(id, 'task_id')).toBe(id);
  });

  it('refuses values that are not strings', () => {
    for (const bad of [undefined, null, 123, {}, ['a']]) {
      expect(() => assertId(bad, 'agent_id')).toThrow(ValidationError);
    }
  });

  it('never echoes the refused value in its message', () => {
    const error = catchError(() => assertId('secret*value', 'agent_id'));
    expect(error.message).not.toContain('secret');
  });
});

describe('TTL constants', () => {
  it('are the durations of the guide', () => {
    expect(SESSION_TTL).toBe(3600);
    expect(SHORT_TERM_TTL).toBe(1800);
    expect(LONG_TERM_TTL).toBe(86400);
  });
});

describe.each(backends)('crafted ids against a real %s store', (backend) => {
  const ctx = useStore(backend);

  /** Alice and Bob each own a few keys in one namespace; a third user's id is a prefix of Alice's. */
  async function seed() {
    const ns = uniqueNamespace();
    const cache = new CacheService(ctx.store);
    const keys = {
      alice: [makeKey(ns, 'alice', 'data'), makeKey(ns, 'alice', 'prefs')],
      alice2: [makeKey(ns, 'alice2', 'data')],
      bob: [makeKey(ns, 'bob', 'data'), makeKey(ns, 'bob', 'prefs')],
    };
    for (const key of Object.values(keys).flat()) expect(await cache.set(key, { owner: key })).toBe(true);
    return { ns, cache, keys };
  }

  async function allPresent(cache: CacheService, keys: string[]): Promise<boolean> {
    const found = await cache.getMany(keys);
    return keys.every((key) => key in found);
  }

  it("deleting one user's keys by makePattern leaves every other user's keys, even one whose id extends it", async () => {
    const { ns, cache, keys } = await seed();
    expect(await cache.deletePattern(makePattern(ns, 'alice'))).toBe(2);
    expect(await cache.getMany(keys.alice)).toEqual({});
    expect(await allPresent(cache, [...keys.alice2, ...keys.bob])).toBe(true);
  });

  it.each(['*', 'al*', 'alice*', '?lice', '[ab]*', 'bob:*', '*:data', 'alice:data\\', '{bob}'])(
    'a crafted user id %j cannot reach deletePattern, and no key is removed',
    async (crafted) => {
      const { ns, cache, keys } = await seed();
      // A caller that forgot assertId still goes through makePattern, which refuses the id.
      const attempt = async () => cache.deletePattern(makePattern(ns, crafted));
      await expect(attempt()).rejects.toThrow(ValidationError);
      expect(await allPresent(cache, Object.values(keys).flat())).toBe(true);
    },
  );

  it.each(['bob:data', 'alice:..:bob', '*', 'b?b', '[b]ob'])(
    'a crafted id %j cannot build a key that reads or writes Bob\'s data',
    async (crafted) => {
      const { ns, cache, keys } = await seed();
      // Alice's code builds makeKey(ns, 'alice', <id from outside>) or makeKey(ns, <id>, 'data'); neither can name Bob's key.
      expect(() => makeKey(ns, 'alice', crafted)).toThrow(ValidationError);
      expect(() => makeKey(ns, crafted, 'data')).toThrow(ValidationError);
      expect(await cache.get(keys.bob[0]!)).toEqual({ owner: keys.bob[0] });
    },
  );

  it('a glob in a key given to get is only ever a literal key, never a lookup across users', async () => {
    const { ns, cache } = await seed();
    // Only a hand-made string could hold one; GET does not interpret globs, so it finds nothing.
    expect(await cache.get(`remembr:${ns}:*:data`)).toBeNull();
    expect(await cache.exists(`remembr:${ns}:*:data`)).toBe(false);
  });

  it('a hand-written pattern reaching outside one namespace is refused before the store is touched', async () => {
    const { ns, cache, keys } = await seed();
    for (const pattern of ['*', 'remembr:*', `remembr:*:bob:*`, `remembr:${ns.slice(0, 3)}*:bob:*`]) {
      await expect(cache.deletePattern(pattern)).rejects.toThrow(ValidationError);
    }
    expect(await allPresent(cache, Object.values(keys).flat())).toBe(true);
  });
});

function catchError(action: () => unknown): Error {
  try {
    action();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the action to throw');
}
