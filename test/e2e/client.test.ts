import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  createRemembrClient,
  RemembrApiError,
  type ErrorCode,
  type RemembrClient,
  type RetryEvent,
  type Schemas,
} from '../../src/client/index.js';
import { buildApp } from '../../src/http/index.js';
import { createRateLimiter, createRemembr } from '../../src/index.js';
import { testConfig } from '../support/app.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { captureLogger, captureText } from '../support/log-capture.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { ALICE_KEY, BOB_KEY } from '../support/secrets.js';
import { startService, type ServiceProcess } from '../support/service.js';
import { backends } from '../support/stores.js';

/*
 * `remembr/client` against the built service (`node dist/main.js`) over real HTTP, on the embedded store and on a
 * redis-server of the test's own: the whole flow, typed errors, and its retries, each checked by what landed.
 * `npm test` builds first; run `npm run build` before this file alone.
 */

/** The error a call that must fail throws, checked to be the client's. */
async function failure(call: Promise<unknown>): Promise<RemembrApiError> {
  const outcome = await call.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(outcome).toBeInstanceOf(RemembrApiError);
  return outcome as RemembrApiError;
}

describe.each(backends)('the typed client against the service on %s', (backend) => {
  let redis: RedisServer | undefined;
  let service: ServiceProcess;
  let proxy: FaultProxy;
  let alice: RemembrClient;
  beforeAll(async () => {
    if (backend === 'redis') redis = await startRedisServer();
    service = await startService({
      ...(redis ? { REDIS_URL: redis.url } : {}),
      REMEMBR_API_KEYS: `alice:${ALICE_KEY},bob:${BOB_KEY}`,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '100000',
    });
    proxy = await startFaultProxy(service.baseUrl);
    alice = createRemembrClient({ baseUrl: service.baseUrl, apiKey: ALICE_KEY });
  });
  afterAll(async () => {
    await proxy?.close();
    if (service) {
      await service.stop();
      captureText(service.output());
    }
    await redis?.stop();
  });

  /** A client through the fault proxy, whose retries are recorded. */
  const viaProxy = (events: RetryEvent[], maxAttempts = 5) =>
    createRemembrClient({ baseUrl: proxy.baseUrl, apiKey: ALICE_KEY, retry: { maxAttempts, onRetry: (event) => events.push(event) } });

  it('runs session → messages → checkpoint → restore → task put/peek/take, every answer typed from the document', async () => {
    const health = await alice.health();
    expect(health).toMatchObject({ status: 'ok', store: backend });
    expect(await alice.ready()).toMatchObject({ status: 'ready' });

    const session = await alice.sessions.create({ agent_id: 'support-bot', metadata: { channel: 'web' } });
    expectTypeOf(session).toEqualTypeOf<Schemas['Session']>();
    expect(session).toMatchObject({ user_id: 'alice', agent_id: 'support-bot', metadata: { channel: 'web' }, expires_in: 3600 });
    expect((await alice.sessions.get(session.session_id)).session_id).toBe(session.session_id);
    expect((await alice.sessions.list()).sessions.map((s) => s.session_id)).toContain(session.session_id);
    const updated = await alice.sessions.update(session.session_id, { metadata: { channel: null, locale: 'pt-PT' } });
    expectTypeOf(updated).toEqualTypeOf<Schemas['Session']>();
    expect(updated.metadata).toEqual({ locale: 'pt-PT' });

    const first = await alice.messages.append(session.session_id, { role: 'user', content: 'Weather in Lisbon?' });
    expectTypeOf(first).toEqualTypeOf<Schemas['AppendedMessage']>();
    const turn = await alice.messages.appendTurn(session.session_id, [
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Lisbon"}' }] },
      { role: 'tool', content: '18°C, sunny', tool_call_id: 'call_1' },
    ]);
    expect(turn.messages.map((m) => m.role)).toEqual(['assistant', 'tool']);
    const window = await alice.messages.list(session.session_id);
    // The messages are typed by the format asked for; a format known only at run time keeps both.
    expectTypeOf(window.messages).toEqualTypeOf<Schemas['Message'][]>();
    expectTypeOf(window.token_usage).toEqualTypeOf<Schemas['TokenUsage']>();
    expect(window.messages).toHaveLength(3);
    expect(window.messages[2]!.id).toEqual(turn.messages[1]!.id);
    const openai = await alice.messages.list(session.session_id, { format: 'openai', last: '1' });
    expectTypeOf(openai.messages).toEqualTypeOf<Schemas['OpenAIMessage'][]>();
    expect(openai.messages).toEqual([{ role: 'tool', content: '18°C, sunny', tool_call_id: 'call_1' }]);
    expectTypeOf((await alice.messages.list(session.session_id, { format: 'neutral' })).messages).toEqualTypeOf<Schemas['Message'][]>();
    const formatOf = (openai: boolean): 'openai' | 'neutral' => (openai ? 'openai' : 'neutral');
    expectTypeOf((await alice.messages.list(session.session_id, { format: formatOf(true) })).messages).toEqualTypeOf<Schemas['Message'][] | Schemas['OpenAIMessage'][]>();
    const context = await alice.messages.context(session.session_id, { format: 'openai' });
    expectTypeOf(context.messages).toEqualTypeOf<Schemas['OpenAIMessage'][]>();
    expectTypeOf(context.summary).toEqualTypeOf<string | null>();
    expect(context.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
    expectTypeOf((await alice.messages.context(session.session_id)).messages).toEqualTypeOf<Schemas['Message'][]>();

    const checkpoint = await alice.checkpoints.create(session.session_id);
    expectTypeOf(checkpoint).toEqualTypeOf<Schemas['Checkpoint']>();
    expect(checkpoint.message_count).toBe(3);
    await alice.messages.append(session.session_id, { role: 'assistant', content: '18°C and sunny.' });
    expect((await alice.messages.list(session.session_id)).messages).toHaveLength(4);
    expect(await alice.checkpoints.restore(session.session_id, checkpoint.checkpoint_id)).toEqual({ restored_message_count: 3 });
    expect(await alice.messages.list(session.session_id)).toEqual(window);
    expect((await alice.checkpoints.list(session.session_id)).checkpoints).toEqual([checkpoint]);

    expect(await alice.tasks.put('report-7', { result: { rows: 12 }, ttl_seconds: 60 })).toEqual({ task_id: 'report-7', expires_in: 60 });
    expect(await alice.tasks.peek('report-7')).toEqual({ result: { rows: 12 } });
    const taken = await alice.tasks.take('report-7');
    expectTypeOf(taken).toEqualTypeOf<Schemas['TaskResult']>();
    expect(taken).toEqual({ result: { rows: 12 } });
    expect((await failure(alice.tasks.peek('report-7'))).code).toBe('NOT_FOUND');

    await alice.sessions.delete(session.session_id);
    expect((await failure(alice.sessions.get(session.session_id))).status).toBe(404);
  });

  it('throws a typed 404 whose code is the envelope’s union, not a string', async () => {
    const session = await alice.sessions.create({ agent_id: 'private' });
    const bob = createRemembrClient({ baseUrl: service.baseUrl, apiKey: BOB_KEY });
    const err = await failure(bob.messages.list(session.session_id));
    expectTypeOf(err.code).toEqualTypeOf<ErrorCode>();
    expectTypeOf<'NOT_FOUND' | 'RATE_LIMIT_EXCEEDED' | 'OUTCOME_UNKNOWN'>().toMatchTypeOf<ErrorCode>();
    expectTypeOf<string>().not.toMatchTypeOf<ErrorCode>();
    // @ts-expect-error a code the document does not list does not type-check
    expect(err.code === 'NOT_FOUNDD').toBe(false);
    if (err.code !== 'NOT_FOUND') throw new Error(`expected NOT_FOUND, got ${err.code}`);
    expect(err).toMatchObject({ status: 404, attempts: 1, details: [] });
    expect(err.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(err.message).toMatch(/not found/i);

    const invalid = await failure(alice.messages.append(session.session_id, { role: 'wizard' as 'user', content: 'hi' }));
    expect(invalid).toMatchObject({ status: 400, code: 'VALIDATION_ERROR', attempts: 1 });
    expect(invalid.details.map((d) => d.field)).toContain('role');
    expect(invalid.details.find((d) => d.field === 'role')?.allowed).toEqual(['system', 'user', 'assistant', 'tool']);
    // A write was not retried on a 4xx, and left nothing behind.
    expect((await alice.messages.list(session.session_id)).messages).toEqual([]);
  });

  it('retries a write whose answer a gateway lost (504) with the same Idempotency-Key: one message, the first answer', async () => {
    const session = await alice.sessions.create({ agent_id: 'lost-answer' });
    const events: RetryEvent[] = [];
    const client = viaProxy(events);
    proxy.seen.length = 0;
    // The service gets the append and answers; the client sees a gateway's 504 instead, as after a timeout.
    proxy.plan = (_request, index) => (index === 0 ? { forwardThenAnswer: 504, retryAfter: '1' } : 'forward');
    const appended = await client.messages.append(session.session_id, { role: 'user', content: 'exactly once' });
    proxy.plan = () => 'forward';

    expect(proxy.seen).toHaveLength(2);
    const [key] = new Set(proxy.seen.map((seen) => seen.idempotencyKey));
    expect(new Set(proxy.seen.map((seen) => seen.idempotencyKey)).size).toBe(1);
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(events).toEqual([{ attempt: 1, status: 504, retryAfterSeconds: 1, delayMs: expect.any(Number), idempotencyKey: key }]);
    expect(events[0]!.delayMs).toBeGreaterThanOrEqual(1000);
    const { messages } = await alice.messages.list(session.session_id);
    expect(messages.map((m) => ('id' in m ? m.id : undefined))).toEqual([appended.message.id]);
  });

  it('retries a refused write (503, never forwarded) after Retry-After with its key, and gives up after maxAttempts', async () => {
    const events: RetryEvent[] = [];
    const client = viaProxy(events, 3);
    proxy.seen.length = 0;
    proxy.plan = (_request, index) => (index === 0 ? { refuse: 503, retryAfter: '1' } : 'forward');
    const stored = await client.tasks.put('refused-once', { result: 'ok' }, { idempotencyKey: 'my-own-key-1' });
    expect(stored.task_id).toBe('refused-once');
    expect(proxy.seen.map((seen) => seen.idempotencyKey)).toEqual(['my-own-key-1', 'my-own-key-1']);
    expect(events.map((e) => e.status)).toEqual([503]);

    events.length = 0;
    proxy.seen.length = 0;
    proxy.plan = () => ({ refuse: 503, retryAfter: '0' });
    const exhausted = await failure(client.tasks.take('refused-once'));
    // Not the envelope, so the code is the one its status stands for; the key is there to repeat the claim with.
    expect(exhausted).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', attempts: 3, retryAfterSeconds: 0 });
    expect(exhausted.idempotencyKey).toBe(proxy.seen[0]!.idempotencyKey);
    expect(new Set(proxy.seen.map((seen) => seen.idempotencyKey)).size).toBe(1);

    // A write the document gives no key is never retried, not even on a 503.
    proxy.seen.length = 0;
    const session = await alice.sessions.create({ agent_id: 'no-key-route' });
    const refresh = await failure(client.sessions.refresh(session.session_id));
    expect(refresh).toMatchObject({ status: 503, attempts: 1 });
    expect(proxy.seen).toEqual([{ method: 'POST', path: `/api/v1/sessions/${session.session_id}/refresh`, idempotencyKey: undefined }]);
    proxy.plan = () => 'forward';
    expect(await client.tasks.take('refused-once')).toEqual({ result: 'ok' });
  });

  // CLIENT PAUSE is Redis's: the embedded store has no way to hold writes.
  if (backend === 'redis') {
    it('retries a real 503 (Redis pausing writes) with the same key until it is served: exactly one message', async () => {
      const session = await alice.sessions.create({ agent_id: 'paused-redis' });
      const admin = createClient({ url: redis!.url });
      await admin.connect();
      const events: RetryEvent[] = [];
      // Writes resume when the client reports its first retry (20 s at most), so the first attempt always meets the
      // pause, however slow the machine, and the retry, a second later, does not.
      let unpaused: Promise<unknown> | undefined;
      const client = createRemembrClient({
        baseUrl: proxy.baseUrl,
        apiKey: ALICE_KEY,
        retry: {
          maxAttempts: 8,
          onRetry: (event) => {
            events.push(event);
            unpaused ??= admin.sendCommand(['CLIENT', 'UNPAUSE']);
          },
        },
      });
      proxy.seen.length = 0;
      try {
        // While Redis holds writes, the first append to this session checks its rate limit on its own (the append
        // first reads the session's token encoding, a plain GET that waits for the check); the check script is a
        // write, so it spends the request's deadline, the append is never sent, and the answer is a definite 503
        // with Retry-After: 1.
        await admin.sendCommand(['CLIENT', 'PAUSE', '20000', 'WRITE']);
        const appended = await client.messages.append(session.session_id, { role: 'user', content: 'while paused' });
        expect(events.length).toBeGreaterThanOrEqual(1);
        expect(events[0]).toMatchObject({ attempt: 1, status: 503, retryAfterSeconds: 1 });
        expect(events.every((e) => e.delayMs >= 1000)).toBe(true);
        expect(new Set(proxy.seen.map((seen) => seen.idempotencyKey)).size).toBe(1);
        expect(proxy.seen.length).toBe(events.length + 1);
        const { messages } = await alice.messages.list(session.session_id);
        expect(messages.map((m) => ('id' in m ? m.id : undefined))).toEqual([appended.message.id]);
      } finally {
        await unpaused;
        await admin.sendCommand(['CLIENT', 'UNPAUSE']);
        await admin.close();
      }
    });
  }
});

/**
 * 429 needs a window short enough to wait out: the service's is 60 s (RATE_LIMIT_PER_MINUTE), so these run the
 * same app main.ts serves (buildApp), listening on a real port, with a limiter of 2 requests per 6 s.
 */
describe.each(backends)('the typed client and 429 on %s', (backend) => {
  let redis: RedisServer | undefined;
  let app: FastifyInstance;
  let baseUrl: string;
  const WINDOW_SECONDS = 6;
  beforeAll(async () => {
    if (backend === 'redis') redis = await startRedisServer();
    const config = testConfig({ redisUrl: redis?.url });
    const remembr = await createRemembr({ ...config, logger: captureLogger() });
    const rateLimiter = createRateLimiter(remembr.store, { name: 'client-test', limit: 2, windowSeconds: WINDOW_SECONDS });
    app = await buildApp({ config, remembr: { ...remembr, rateLimiter } });
    app.addHook('onClose', () => remembr.close());
    await app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app?.close();
    await redis?.stop();
  });

  /**
   * Spends the window until a 429 leaves at least three seconds of it, so the call that follows meets it too even
   * on a loaded machine.
   */
  async function spendWindow(client: RemembrClient): Promise<RemembrApiError> {
    for (let i = 0; i < 20; i++) {
      const refused = await client.sessions.list({ retry: { maxAttempts: 1 } }).then(
        () => undefined,
        (err: unknown) => err,
      );
      if (refused instanceof RemembrApiError && refused.code === 'RATE_LIMIT_EXCEEDED' && refused.retryAfterSeconds! >= 4) return refused;
    }
    throw new Error('never got a 429 with 4 s or more left');
  }

  it('waits out Retry-After on a 429 and then succeeds, once: the write lands once', async () => {
    const events: RetryEvent[] = [];
    const client = createRemembrClient({ baseUrl, apiKey: ALICE_KEY, retry: { maxAttempts: 4, onRetry: (event) => events.push(event) } });
    await spendWindow(client);
    const created = await client.sessions.create({ agent_id: 'patient' });
    expect(created.agent_id).toBe('patient');
    expect(events.length).toBeGreaterThanOrEqual(1);
    expect(events[0]).toMatchObject({ attempt: 1, status: 429 });
    // The wait is the service's Retry-After, jitter only added on top.
    expect(events[0]!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(events[0]!.delayMs).toBeGreaterThanOrEqual(events[0]!.retryAfterSeconds! * 1000);
    expect(new Set(events.map((e) => e.idempotencyKey)).size).toBe(1);
    const { sessions } = await client.sessions.list();
    expect(sessions.filter((s) => s.agent_id === 'patient')).toHaveLength(1);
  });

  it('does not wait out a Retry-After past maxRetryAfterSeconds: the 429 is thrown at once with it', async () => {
    const client = createRemembrClient({ baseUrl, apiKey: ALICE_KEY, retry: { maxRetryAfterSeconds: 1 } });
    await spendWindow(client);
    const refused = await failure(client.sessions.create({ agent_id: 'impatient' }));
    expect(refused).toMatchObject({ status: 429, code: 'RATE_LIMIT_EXCEEDED', attempts: 1 });
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(2);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(WINDOW_SECONDS);
    expect(refused.message).toMatch(/Rate limit of 2 requests per 6 s exceeded/);
  });
});
