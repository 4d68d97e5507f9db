import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../../test/support/redis-server.js';
import { openRedisStore, uniqueNamespace, useStore } from '../../test/support/stores.js';
import { CapacityError, IdempotencyKeyReusedError, OutcomeUnknownError, ValidationError } from '../errors.js';
import type { RedisStore } from '../store/redis-store.js';
import { APPENDIX_A, OBJECT_EXAMPLES, SECTION_3 } from '../../test/support/merge-patch-examples.js';
import { applyMergePatch } from './merge-patch.js';
import { sessionKeys } from './session-keys.js';
import { MAX_PATCH_DEPTH, SessionStore, type SessionMetadata } from './session-store.js';

type Json = Record<string, unknown>;

/** Values cjson would change (empties, big and small numbers, escapes, astral and lone surrogates), nested. */
const AWKWARD: Json = {
  emptyArray: [],
  emptyObject: {},
  nestedEmpties: [[], {}, [[]], { a: [] }, { b: {} }],
  numbers: [1e21, 1e-7, 0.1 + 0.2, 5e-324, 1.7976931348623157e308, 2 ** 53 + 1, -0.5, 12345678901234567890, 0],
  text: 'é 👋 中文 \u0000 \n\t "quoted" back\\slash /slash \u2028 ]}{[',
  lone: '\ud800',
  '': 'an empty name',
  'a"b': 'a quote in the name',
  '{': '}',
  'é👋': { '}': [{ ']': ',' }] },
  lookalike: '"metadata":{"x":1}',
  bool: [true, false, null],
};

let users = 0;
const newUser = () => `patcher-${process.pid}-${++users}`;

describe('applyMergePatch', () => {
  it.each(APPENDIX_A)('RFC 7386 appendix A: %j patched with %j is %j', (original, patch, result) => {
    expect(applyMergePatch(original, patch)).toEqual(result);
  });

  it('follows RFC 7386 section 3, keeping the order of members', () => {
    expect(JSON.stringify(applyMergePatch(SECTION_3.target, SECTION_3.patch))).toBe(JSON.stringify(SECTION_3.result));
  });

  it('changes neither argument, and keeps a member named __proto__ as a member', () => {
    const target = { a: { b: 1 } };
    const patch = JSON.parse('{"a":{"c":2},"__proto__":{"polluted":true}}') as Json;
    const merged = applyMergePatch(target, patch) as Json;
    expect(target).toEqual({ a: { b: 1 } });
    expect(Object.keys(merged)).toEqual(['a', '__proto__']);
    expect(JSON.stringify(merged)).toBe('{"a":{"b":1,"c":2},"__proto__":{"polluted":true}}');
    expect(({} as Json).polluted).toBeUndefined();
  });
});

describe.each(['memory', 'redis', 'cluster'] as const)('SessionStore.patchMetadata on %s', (backend) => {
  const ctx = useStore(backend);
  const sessions = (options: ConstructorParameters<typeof SessionStore>[1] = {}) => new SessionStore(ctx.store, options);
  const started = async (metadata: SessionMetadata, store = sessions()) => {
    const userId = newUser();
    const { sessionId } = await store.create(userId, { agentId: 'agent', metadata });
    return { userId, sessionId };
  };

  it.each(OBJECT_EXAMPLES)(
    'RFC 7386 appendix A: %j patched with %j is %j, in the answer and when read again',
    async (original, patch, result) => {
      const { userId, sessionId } = await started(original);
      const patched = await sessions().patchMetadata(userId, sessionId, patch);
      expect(patched!.metadata).toEqual(result);
      expect((await sessions().get(userId, sessionId))!.metadata).toEqual(result);
    },
  );

  it('follows RFC 7386 section 3, keeping the order of members and the rest of the session', async () => {
    const { userId, sessionId } = await started(SECTION_3.target);
    const before = (await sessions().get(userId, sessionId))!;
    const patched = (await sessions().patchMetadata(userId, sessionId, SECTION_3.patch))!;
    expect(JSON.stringify(patched.metadata)).toBe(JSON.stringify(SECTION_3.result));
    expect({ ...patched, metadata: undefined, expiresIn: 0 }).toEqual({ ...before, metadata: undefined, expiresIn: 0 });
  });

  it('keeps every value it does not touch exactly, and sets awkward values exactly', async () => {
    const { userId, sessionId } = await started(AWKWARD);
    const touched = (await sessions().patchMetadata(userId, sessionId, { added: 1 }))!;
    expect(touched.metadata).toEqual({ ...AWKWARD, added: 1 });
    // The same values set by a patch, over members of other kinds, and inside a nested merge.
    const other = await started({ emptyArray: 'x', deep: { keep: [], replace: { old: true } } });
    const patched = (await sessions().patchMetadata(other.userId, other.sessionId, { ...AWKWARD, deep: { replace: AWKWARD } }))!;
    const expected = { emptyArray: [], deep: { keep: [], replace: { old: true, ...AWKWARD } }, ...AWKWARD };
    expect(patched.metadata).toEqual(expected);
    expect((await sessions().get(other.userId, other.sessionId))!.metadata).toEqual(patched.metadata);
    // A stored text that merely looks like a metadata member is left alone.
    expect((patched.metadata as Json).lookalike).toBe('"metadata":{"x":1}');
  });

  it('agrees with applyMergePatch over 300 random documents and patches', async () => {
    const random = seeded(7386);
    for (let i = 0; i < 300; i++) {
      const original = randomObject(random, 3, false);
      const patch = randomObject(random, 3, true);
      const { userId, sessionId } = await started(original);
      const patched = (await sessions().patchMetadata(userId, sessionId, patch))!;
      expect(patched.metadata, `${JSON.stringify(original)} + ${JSON.stringify(patch)}`).toEqual(applyMergePatch(original, patch));
    }
  });

  it('removes members set to null at any depth, creating no empty parents for a null under a new member', async () => {
    const { userId, sessionId } = await started({ a: { b: { c: 1, d: 2 } }, gone: 'x', s: 'text' });
    const patched = (await sessions().patchMetadata(userId, sessionId, { a: { b: { c: null } }, gone: null, missing: null, s: { x: null, y: 1 } }))!;
    expect(patched.metadata).toEqual({ a: { b: { d: 2 } }, s: { y: 1 } });
  });

  // Regression: agent-memory-server's whole-record PUT, and Mastra #7775, lost fields under concurrent writers.
  it('lands all of 50 concurrent patches of different members, at the top and nested', async () => {
    const { userId, sessionId } = await started({ nested: { kept: true } });
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => sessions().patchMetadata(userId, sessionId, { [`field${i}`]: i, nested: { [`inner${i}`]: [i] } })),
    );
    const { metadata } = (await sessions().get(userId, sessionId))!;
    const expected: Json = { nested: { kept: true } };
    for (let i = 0; i < 50; i++) {
      expected[`field${i}`] = i;
      (expected.nested as Json)[`inner${i}`] = [i];
    }
    expect(metadata).toEqual(expected);
  });

  it('refuses a merge that would grow the metadata past its limit, naming it, and changes nothing', async () => {
    const store = sessions({ maxMetadataBytes: 100 });
    const { userId, sessionId } = await started({ a: 'x'.repeat(50) }, store);
    const before = JSON.stringify((await store.get(userId, sessionId))!.metadata);
    const failure = await store.patchMetadata(userId, sessionId, { b: 'y'.repeat(50) }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(CapacityError);
    expect((failure as Error).message).toMatch(/would be 115 bytes as JSON; at most 100 are kept/);
    expect(JSON.stringify((await store.get(userId, sessionId))!.metadata)).toBe(before);
    // Exactly the limit is accepted; removing makes room again.
    const exact = (await store.patchMetadata(userId, sessionId, { b: 'y'.repeat(35) }))!;
    expect(Buffer.byteLength(JSON.stringify(exact.metadata))).toBe(100);
    expect((await store.patchMetadata(userId, sessionId, { a: null, b: null }))!.metadata).toEqual({});
  });

  it('refuses a patch that is not an object, too deep, too large, or not JSON, naming metadata', async () => {
    const store = sessions({ maxMetadataBytes: 100 });
    const { userId, sessionId } = await started({}, store);
    let deep: Json = { leaf: 1 };
    for (let i = 0; i < MAX_PATCH_DEPTH; i++) deep = { deep };
    for (const patch of [null, [], ['c'], 'bar', 1, deep, { big: 'z'.repeat(200) }, { n: 10n }]) {
      const failure = await store.patchMetadata(userId, sessionId, patch as Json).catch((err: unknown) => err);
      expect(failure, JSON.stringify(patch, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).toBeInstanceOf(ValidationError);
      expect((failure as ValidationError).field).toBe('metadata');
    }
    expect((await store.get(userId, sessionId))!.metadata).toEqual({});
  });

  it('answers null for a missing session or another user’s, writing nothing', async () => {
    const { userId, sessionId } = await started({ mine: true });
    const stranger = newUser();
    expect(await sessions().patchMetadata(stranger, sessionId, { x: 1 })).toBeNull();
    expect(await ctx.store.exists(sessionKeys(stranger, sessionId).session)).toBe(false);
    expect(await sessions().patchMetadata(userId, randomUUID(), { x: 1 })).toBeNull();
    expect((await sessions().get(userId, sessionId))!.metadata).toEqual({ mine: true });
  });

  it('leaves the session’s TTL as it was: a patch is not a refresh', async () => {
    const { userId, sessionId } = await started({});
    await ctx.store.expire(sessionKeys(userId, sessionId).session, 30);
    const patched = (await sessions().patchMetadata(userId, sessionId, { x: 1 }))!;
    expect(patched.expiresIn).toBeLessThanOrEqual(30);
    expect(await ctx.store.ttl(sessionKeys(userId, sessionId).session)).toBeLessThanOrEqual(30);
  });

  it('applies a patch once per idempotency key: a retry answers the first session, not a second merge', async () => {
    const { userId, sessionId } = await started({ step: 0 });
    const key = { idempotencyKey: randomUUID() };
    const first = (await sessions().patchMetadata(userId, sessionId, { step: 1, by: 'first' }, key))!;
    await sessions().patchMetadata(userId, sessionId, { step: 2, by: null });
    // Members in another order are the same patch.
    const retry = await sessions().patchMetadata(userId, sessionId, { by: 'first', step: 1 }, key);
    expect(retry).toEqual(first);
    expect((await sessions().get(userId, sessionId))!.metadata).toEqual({ step: 2 });
    await expect(sessions().patchMetadata(userId, sessionId, { step: 3 }, key)).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    expect((await sessions().get(userId, sessionId))!.metadata).toEqual({ step: 2 });
  });
});

describe('SessionStore.patchMetadata while Redis stalls after the command was sent', () => {
  let server: RedisServer;
  let store: RedisStore;
  beforeAll(async () => {
    server = await startRedisServer();
    store = openRedisStore(server.url, { commandTimeoutMs: 400 });
    await store.connect(5000);
  });
  afterAll(async () => {
    server?.resume();
    await store?.close();
    await server?.stop();
  });

  it('answers "outcome unknown"; the retry with the key answers what the stalled patch did, applying it once', async () => {
    const sessions = new SessionStore(store);
    const userId = `stall-${uniqueNamespace()}`;
    const { sessionId } = await sessions.create(userId, { agentId: 'a', metadata: { n: 0 } });
    // Loads the script, so the stalled call below is one Redis runs when it wakes (not a NOSCRIPT nobody reads).
    await sessions.patchMetadata(userId, sessionId, { warm: true }, { idempotencyKey: randomUUID() });
    const key = { idempotencyKey: randomUUID() };
    server.pause();
    let failure: unknown;
    try {
      failure = await sessions.patchMetadata(userId, sessionId, { n: 1 }, key).catch((err: unknown) => err);
    } finally {
      server.resume();
    }
    expect(failure).toBeInstanceOf(OutcomeUnknownError);
    // It was sent, so Redis applied it when it woke.
    await expect.poll(async () => (await sessions.get(userId, sessionId).catch(() => null))?.metadata, { timeout: 10_000 }).toEqual({ warm: true, n: 1 });
    await sessions.patchMetadata(userId, sessionId, { n: 2 });
    const retry = (await sessions.patchMetadata(userId, sessionId, { n: 1 }, key))!;
    expect(retry.metadata).toEqual({ warm: true, n: 1 });
    expect((await sessions.get(userId, sessionId))!.metadata).toEqual({ warm: true, n: 2 });
  });
});

/** A small deterministic PRNG (mulberry32), so a failing case can be replayed. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = ['a', 'b', 'c', '', 'a"b', '{', 'é', '👋', '1', '10', 'metadata', '\\'];
const SCALARS: unknown[] = ['', 'x', '"}]', 'é👋', 0, -1.5, 1e21, 2 ** 60, true, false, [], [null], [{}, []], {}];

function randomObject(random: () => number, depth: number, withNulls: boolean): Json {
  const object: Json = {};
  const count = Math.floor(random() * 5);
  for (let i = 0; i < count; i++) {
    const name = NAMES[Math.floor(random() * NAMES.length)]!;
    const roll = random();
    object[name] =
      withNulls && roll < 0.25 ? null : depth > 0 && roll < 0.6 ? randomObject(random, depth - 1, withNulls) : SCALARS[Math.floor(random() * SCALARS.length)];
  }
  return object;
}
