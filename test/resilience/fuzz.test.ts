import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/index.js';
import { MemoryStore, createRemembr, type Remembr } from '../../src/index.js';
import { ALICE_KEY, BOB_KEY, testConfig } from '../support/app.js';
import { observeStatuses } from '../support/documented-statuses.js';

/**
 * Property-based fuzzing of every endpoint: random methods, paths, ids, query strings, headers and bodies
 * (unicode, deep nesting, huge strings, broken JSON). Whatever arrives, the service answers below 500, and a
 * request it rejects leaves the store exactly as it was. Runs on the memory store, whose contents can be
 * compared whole after each request; rate-limit counters are the one thing every request may change.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 3000);

const COUNTERS = /^remembr:(ratelimit|authfail)/;

function fingerprint(store: MemoryStore): string {
  const entries = [...store.db.entries()].filter((e) => !COUNTERS.test(e.key));
  return JSON.stringify(entries);
}

describe('fuzzing every endpoint', () => {
  let app: FastifyInstance;
  let remembr: Remembr;
  let store: MemoryStore;
  let sessionId: string;
  let checkpointId: string;

  beforeAll(async () => {
    store = new MemoryStore();
    const config = testConfig({ maxMessageBytes: 2048, bodyLimitBytes: 64 * 1024 });
    remembr = await createRemembr({ ...config, store });
    app = await buildApp({ config, remembr });
    // Whatever the fuzzer sends, each answer is one the document lists for its route.
    observeStatuses(app);
    await app.ready();
    const created = await app.inject({ method: 'POST', url: '/api/v1/sessions', headers: { authorization: `Bearer ${ALICE_KEY}` }, payload: { agent_id: 'fuzz' } });
    sessionId = created.json().session_id;
    await app.inject({ method: 'POST', url: `/api/v1/sessions/${sessionId}/messages`, headers: { authorization: `Bearer ${ALICE_KEY}` }, payload: { role: 'user', content: 'hello' } });
    const checkpoint = await app.inject({ method: 'POST', url: `/api/v1/sessions/${sessionId}/checkpoints`, headers: { authorization: `Bearer ${ALICE_KEY}` } });
    checkpointId = checkpoint.json().checkpoint_id;
  });

  afterAll(async () => {
    await app?.close();
    await remembr?.close();
    await store?.close();
  });

  const segment = () =>
    fc.oneof(
      fc.constant(sessionId),
      fc.constant(checkpointId),
      fc.string({ maxLength: 20 }),
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.constantFrom(':', '*', '?', '[x]', '{t}', '..', '%00', '%2F', 'a:b', `${sessionId}:*`, 'x'.repeat(300), ''),
    );

  const requestArb = () =>
    fc.record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
      path: fc.oneof(
        segment().map(() => '/sessions'),
        segment().map((id) => `/sessions/${encodeURIComponent(id)}`),
        fc.tuple(segment(), fc.constantFrom('messages', 'checkpoints', 'restore', 'refresh', 'nope')).map(([id, tail]) => `/sessions/${encodeURIComponent(id)}/${tail}`),
        segment().map((id) => `/tasks/${encodeURIComponent(id)}/result`),
        fc.webPath().map((p) => p || '/'),
      ),
      query: fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 16 }), { maxKeys: 3 }),
      auth: fc.constantFrom<Record<string, string>>(
        { authorization: `Bearer ${ALICE_KEY}` },
        { authorization: `Bearer ${BOB_KEY}` },
        { 'x-api-key': ALICE_KEY },
        { authorization: 'Bearer nope-nope-nope-nope' },
        {},
      ),
      contentType: fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', undefined),
      body: fc.oneof(
        fc.constant(undefined),
        fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v)),
        fc.record({
          agent_id: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
          metadata: fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.constant(undefined)),
          role: fc.oneof(fc.constantFrom('system', 'user', 'assistant', 'tool', 'admin'), fc.string()),
          content: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.constant('y'.repeat(5000)), fc.integer()),
          checkpoint_id: segment(),
          result: fc.jsonValue({ maxDepth: 8 }),
          ttl_seconds: fc.oneof(fc.integer({ min: -5, max: 200_000 }), fc.double(), fc.string({ maxLength: 4 })),
        }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
        fc.string({ maxLength: 50 }),
        fc.integer({ min: 1, max: 40 }).map((depth) => '['.repeat(depth * 50) + ']'.repeat(depth * 50)),
      ),
    });

  it(`answers ${RUNS} random requests below 500 and writes nothing when it refuses`, async () => {
    const statuses: Record<number, number> = {};
    await fc.assert(
      fc.asyncProperty(requestArb(), async (req) => {
        const before = fingerprint(store);
        const query = new URLSearchParams(req.query).toString();
        const res = await app.inject({
          method: req.method as 'GET',
          url: `/api/v1${req.path}${query ? `?${query}` : ''}`,
          headers: { ...req.auth, ...(req.contentType && req.body !== undefined ? { 'content-type': req.contentType } : {}) },
          payload: req.body,
        });
        statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
        expect(res.statusCode, `${req.method} ${req.path} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
        if (res.statusCode >= 400) {
          expect(fingerprint(store), `${req.method} ${req.path} answered ${res.statusCode} but changed the store`).toBe(before);
          if (res.statusCode !== 404 || res.body) expect(res.json().error.code).toBeTypeOf('string');
        }
      }),
      { numRuns: RUNS },
    );
    console.log(JSON.stringify({ case: 'fuzz', runs: RUNS, statuses }));
  }, 120_000);
});
