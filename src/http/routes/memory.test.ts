import { describe, expect, it } from 'vitest';
import { asAlice, asBob, useApp } from '../../../test/support/app.js';
import { backends, untilNoticedDown } from '../../../test/support/stores.js';
import { SHORT_TERM_TTL } from '../../keys.js';
import { sessionKeys } from '../../sessions/session-keys.js';

/** Text of exactly `n` cl100k_base tokens (" x" is one token each). */
const text = (n: number, tag = 'x') => ` ${tag}`.repeat(n);

describe.each(backends)('short-term memory routes on %s', (backend) => {
  // A small budget and message limit so eviction and size limits are quick to reach.
  const ctx = useApp(backend, { shortTermMaxTokens: 20, maxMessageBytes: 1024 });
  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object, headers = asAlice) =>
    ctx.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });
  const newSession = async (headers = asAlice): Promise<string> => {
    const res = await call('POST', '/sessions', { agent_id: 'agent' }, headers);
    expect(res.statusCode).toBe(201);
    return res.json().session_id;
  };
  const append = (id: string, role: string, content: string, headers = asAlice) => call('POST', `/sessions/${id}/messages`, { role, content }, headers);
  const contents = async (id: string) => (await call('GET', `/sessions/${id}/messages`)).json().messages.map((m: { content: string }) => m.content);

  it('POST /sessions/{id}/messages appends and answers 201 with the message and token usage', async () => {
    const id = await newSession();
    const res = await append(id, 'user', 'Hello there');
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      message: { id: expect.stringMatching(/^[0-9a-f-]{36}$/), role: 'user', content: 'Hello there', tokens: 2, created_at: expect.stringMatching(/Z$/) },
      token_usage: { used: 2, max: 20, percentage: 10 },
      evicted: [],
    });
  });

  it('GET /sessions/{id}/messages returns the window oldest first and restarts its TTL', async () => {
    const id = await newSession();
    const first = (await append(id, 'system', 'Be brief.')).json().message;
    await append(id, 'user', 'Hi');
    await append(id, 'assistant', 'Hello.');
    const keys = sessionKeys('alice', id);
    await ctx.app.remembr.store.expire(keys.conversation, 5);
    const res = await call('GET', `/sessions/${id}/messages`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.messages.map((m: { role: string; content: string }) => [m.role, m.content])).toEqual([
      ['system', 'Be brief.'],
      ['user', 'Hi'],
      ['assistant', 'Hello.'],
    ]);
    expect(body.messages[0]).toEqual(first);
    expect(body.token_usage).toEqual({ used: body.messages.reduce((n: number, m: { tokens: number }) => n + m.tokens, 0), max: 20, percentage: expect.any(Number) });
    expect(await ctx.app.remembr.store.ttl(keys.conversation)).toBeGreaterThan(SHORT_TERM_TTL - 5);
  });

  it('evicts the oldest non-system messages at the budget, keeping system messages', async () => {
    const id = await newSession();
    const a = (await append(id, 'user', text(6, 'a'))).json().message;
    await append(id, 'system', text(6, 's'));
    const b = (await append(id, 'assistant', text(6, 'b'))).json().message;
    // 18 used; 9 more need 7 freed: the user and assistant messages go, the system message between them stays.
    const res = await append(id, 'user', text(9, 'c'));
    expect(res.statusCode).toBe(201);
    expect(res.json().evicted).toEqual([a.id, b.id]);
    expect(res.json().token_usage).toEqual({ used: 15, max: 20, percentage: 75 });
    expect(await contents(id)).toEqual([text(6, 's'), text(9, 'c')]);
  });

  it('answers 422 for a message bigger than the whole budget and changes nothing', async () => {
    const id = await newSession();
    await append(id, 'user', 'keep me');
    const before = (await call('GET', `/sessions/${id}/messages`)).json();
    const res = await append(id, 'user', text(21));
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'CAPACITY_EXCEEDED', details: [{ field: 'content' }] });
    expect((await call('GET', `/sessions/${id}/messages`)).json()).toEqual(before);
  });

  it('answers 422 when system messages leave no room, and changes nothing', async () => {
    const id = await newSession();
    await append(id, 'system', text(18, 's'));
    await append(id, 'user', text(2));
    const before = (await call('GET', `/sessions/${id}/messages`)).json();
    expect((await append(id, 'user', text(3))).statusCode).toBe(422);
    expect((await call('GET', `/sessions/${id}/messages`)).json()).toEqual(before);
  });

  it('refuses content over the size limit with a 400 naming content', async () => {
    const id = await newSession();
    const res = await append(id, 'user', 'x'.repeat(1025));
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_ERROR', details: [expect.objectContaining({ field: 'content' })] });
    expect(res.json().error.message).toContain('content');
    expect(await contents(id)).toEqual([]);
  });

  it('validates role, content, types and unknown fields, naming each', async () => {
    const id = await newSession();
    const cases: Array<[unknown, string]> = [
      [{ role: 'robot', content: 'x' }, 'role'],
      [{ role: 'user' }, 'content'],
      [{ content: 'x' }, 'role'],
      [{ role: 'user', content: 42 }, 'content'],
      [{ role: ['user'], content: 'x' }, 'role'],
      [{ role: 'user', content: 'x', extra: 'field' }, 'extra'],
      [{ role: 'user', content: 'x', name: 'no spaces allowed' }, 'name'],
      [{ role: 'tool', content: 'x' }, 'tool_call_id'],
      [{ role: 'user', content: 'x', tool_call_id: 'c1' }, 'tool_call_id'],
      [{ role: 'assistant', content: null }, 'content'],
      [{ role: 'assistant', content: 'x', tool_calls: [{ id: 'c1', name: 'f', arguments: '{not json' }] }, 'tool_calls[0].arguments'],
      [{ role: 'assistant', content: 'x', tool_calls: [{ id: 'c1', name: 'f' }] }, 'tool_calls.0.arguments'],
      [{ role: 'user', content: [{ type: 'video', url: 'x' }] }, 'content.0'],
    ];
    for (const [body, field] of cases) {
      const res = await call('POST', `/sessions/${id}/messages`, body as object);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.details.map((d: { field: string }) => d.field), JSON.stringify(body)).toContain(field);
    }
    const notJson = await ctx.app.inject({ method: 'POST', url: `/api/v1/sessions/${id}/messages`, headers: { ...asAlice, 'content-type': 'application/json' }, payload: '{"role":' });
    expect(notJson.statusCode).toBe(400);
    const restore = await call('POST', `/sessions/${id}/restore`, { checkpoint_id: 'a:b' });
    expect(restore.statusCode).toBe(400);
    expect(restore.json().error.details).toEqual([expect.objectContaining({ field: 'checkpoint_id' })]);
    expect((await call('POST', `/sessions/${id}/restore`, {})).json().error.details).toEqual([expect.objectContaining({ field: 'checkpoint_id' })]);
    expect(await contents(id)).toEqual([]);
  });

  it('checkpoints the window and restores it, replacing the window', async () => {
    const id = await newSession();
    await append(id, 'system', 'rules');
    await append(id, 'user', 'one');
    const saved = (await call('GET', `/sessions/${id}/messages`)).json();
    const created = await call('POST', `/sessions/${id}/checkpoints`);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({ checkpoint_id: expect.stringMatching(/^[0-9a-f-]{36}$/), created_at: expect.stringMatching(/Z$/), message_count: 2 });
    const checkpointId = created.json().checkpoint_id;
    expect(await ctx.app.remembr.store.ttl(sessionKeys('alice', id).checkpoints)).toBeGreaterThan(86_400 - 5);

    await append(id, 'assistant', 'two');
    await append(id, 'user', 'three');
    const listed = await call('GET', `/sessions/${id}/checkpoints`);
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toEqual({ checkpoints: [created.json()] });

    const restored = await call('POST', `/sessions/${id}/restore`, { checkpoint_id: checkpointId });
    expect(restored.statusCode).toBe(200);
    expect(restored.json()).toEqual({ restored_message_count: 2 });
    expect((await call('GET', `/sessions/${id}/messages`)).json()).toEqual(saved);
    expect((await call('POST', `/sessions/${id}/restore`, { checkpoint_id: 'no-such-checkpoint' })).statusCode).toBe(404);
  });

  it('answers Bob 404 for Alice’s window and checkpoints, exactly like a missing session, and writes nothing', async () => {
    const id = await newSession();
    await append(id, 'user', 'private');
    const checkpointId = (await call('POST', `/sessions/${id}/checkpoints`)).json().checkpoint_id;
    const bobsOwn = await newSession(asBob);
    const missing = await call('GET', '/sessions/no-such-session/messages', undefined, asBob);
    const attempts = [
      await append(id, 'user', 'intrusion', asBob),
      await call('GET', `/sessions/${id}/messages`, undefined, asBob),
      await call('POST', `/sessions/${id}/checkpoints`, undefined, asBob),
      await call('GET', `/sessions/${id}/checkpoints`, undefined, asBob),
      await call('POST', `/sessions/${id}/restore`, { checkpoint_id: checkpointId }, asBob),
      // Alice's checkpoint id against Bob's own session does not reach Alice's checkpoint either.
      await call('POST', `/sessions/${bobsOwn}/restore`, { checkpoint_id: checkpointId }, asBob),
    ];
    for (const res of attempts) {
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
    expect(attempts[1]!.json().error.message).toBe(missing.json().error.message);
    expect(await contents(id)).toEqual(['private']);
    expect((await call('GET', `/sessions/${bobsOwn}/messages`, undefined, asBob)).json().messages).toEqual([]);
    for (const key of Object.values(sessionKeys('bob', id))) expect(await ctx.app.remembr.store.exists(key)).toBe(false);
  });

  it('answers 404 for messages of a missing session and does not create a window for it', async () => {
    expect((await append('no-such-session', 'user', 'x')).statusCode).toBe(404);
    expect((await call('POST', '/sessions/no-such-session/checkpoints')).statusCode).toBe(404);
    expect(await ctx.app.remembr.store.exists(sessionKeys('alice', 'no-such-session').conversation)).toBe(false);
  });

  it('refuses crafted session ids with 400 on every memory route', async () => {
    for (const crafted of ['a%3Ab', '*', 'a%3F', '%5Ba', '%7Bbob%7D', 'a'.repeat(129)]) {
      for (const [method, suffix, body] of [
        ['POST', '/messages', { role: 'user', content: 'x' }],
        ['GET', '/messages', undefined],
        ['POST', '/checkpoints', undefined],
        ['GET', '/checkpoints', undefined],
        ['POST', '/restore', { checkpoint_id: 'abc' }],
      ] as const) {
        const res = await call(method, `/sessions/${crafted}${suffix}`, body);
        expect(res.statusCode, `${method} ${crafted}${suffix}`).toBe(400);
        expect(res.json().error.details).toEqual([expect.objectContaining({ field: 'session_id' })]);
      }
    }
  });
});

describe.each(backends)('concurrent appends over HTTP on %s', (backend) => {
  // The default budget of 4000 tokens holds all 50 messages.
  const ctx = useApp(backend);

  // Regression: concurrent appends lost a message (the original read the whole window, appended and wrote it back).
  it('keeps all of 50 concurrent appends to one session, each exactly once', async () => {
    const id = (await ctx.app.inject({ method: 'POST', url: '/api/v1/sessions', headers: asAlice, payload: { agent_id: 'a' } })).json().session_id;
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        ctx.app.inject({ method: 'POST', url: `/api/v1/sessions/${id}/messages`, headers: asAlice, payload: { role: 'user', content: `message ${i}` } }),
      ),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(50).fill(201));
    expect(responses.flatMap((r) => r.json().evicted)).toEqual([]);
    const window = (await ctx.app.inject({ method: 'GET', url: `/api/v1/sessions/${id}/messages`, headers: asAlice })).json();
    expect(window.messages).toHaveLength(50);
    expect(window.messages.map((m: { content: string }) => m.content).sort()).toEqual(Array.from({ length: 50 }, (_, i) => `message ${i}`).sort());
    expect(window.messages.map((m: { id: string }) => m.id).sort()).toEqual(responses.map((r) => r.json().message.id).sort());
    expect(window.token_usage.used).toBe(window.messages.reduce((n: number, m: { tokens: number }) => n + m.tokens, 0));
  });
});

describe('short-term memory routes when Redis is down', () => {
  const ctx = useApp('redis', { redisCommandTimeoutMs: 300 });

  it('answers 503, never an empty window', async () => {
    const id = (await ctx.app.inject({ method: 'POST', url: '/api/v1/sessions', headers: asAlice, payload: { agent_id: 'a' } })).json().session_id;
    await ctx.server!.kill();
    await untilNoticedDown(ctx.app.remembr.store);
    try {
      const read = await ctx.app.inject({ method: 'GET', url: `/api/v1/sessions/${id}/messages`, headers: asAlice });
      expect(read.statusCode).toBe(503);
      const write = await ctx.app.inject({ method: 'POST', url: `/api/v1/sessions/${id}/messages`, headers: asAlice, payload: { role: 'user', content: 'x' } });
      expect(write.statusCode).toBe(503);
      expect(write.json().error.code).toBe('SERVICE_UNAVAILABLE');
    } finally {
      await ctx.server!.start();
    }
  });
});

describe.each(backends)('messages as agents write them, over HTTP on %s', (backend) => {
  const ctx = useApp(backend);
  const call = (method: 'GET' | 'POST', url: string, payload?: object) =>
    ctx.app.inject({ method, url: `/api/v1${url}`, headers: asAlice, ...(payload ? { payload } : {}) });
  const newSession = async () => (await call('POST', '/sessions', { agent_id: 'agent' })).json().session_id as string;
  const strip = ({ id: _id, tokens: _tokens, created_at: _created, ...rest }: Record<string, unknown>) => rest;

  const turn = [
    { role: 'system', content: 'Be brief.' },
    {
      role: 'user',
      name: 'alice',
      content: [
        { type: 'text', text: 'Weather in Paris? 你好 👋🏽' },
        { type: 'image_url', image_url: { url: 'https://example.com/map.png', detail: 'high' } },
        { type: 'text', text: '' },
      ],
      metadata: { trace: { id: 't-1', n: [1, 2.5, null, true] }, empty: {} },
    },
    {
      role: 'assistant',
      content: null,
      tool_calls: [
        { id: 'call_w', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { id: 'call_t', name: 'get_time', arguments: '{"tz":"Europe/Paris"}' },
      ],
    },
    { role: 'tool', tool_call_id: 'call_w', content: '{"temperature":18}' },
    { role: 'tool', tool_call_id: 'call_t', content: [{ type: 'text', text: '14:05' }] },
    { role: 'assistant', content: '' },
  ];

  it('POST /sessions/{id}/turns stores a whole tool-calling turn and GET returns exactly what was sent', async () => {
    const id = await newSession();
    const res = await call('POST', `/sessions/${id}/turns`, { messages: turn });
    expect(res.statusCode).toBe(201);
    expect(res.json().messages.map(strip)).toEqual(turn);
    const read = (await call('GET', `/sessions/${id}/messages`)).json();
    expect(read.messages).toEqual(res.json().messages);
    expect(read.messages.map(strip)).toEqual(turn);
    expect((await call('GET', `/sessions/${id}/messages?format=neutral`)).json()).toEqual(read);
  });

  it('GET /sessions/{id}/messages?format=openai answers Chat Completions input', async () => {
    const id = await newSession();
    await call('POST', `/sessions/${id}/turns`, { messages: turn });
    const res = await call('GET', `/sessions/${id}/messages?format=openai`);
    expect(res.statusCode).toBe(200);
    expect(res.json().messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', name: 'alice', content: turn[1]!.content },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_w', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_t', type: 'function', function: { name: 'get_time', arguments: '{"tz":"Europe/Paris"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_w', content: '{"temperature":18}' },
      { role: 'tool', tool_call_id: 'call_t', content: [{ type: 'text', text: '14:05' }] },
      { role: 'assistant', content: '' },
    ]);
    expect((await call('GET', `/sessions/${id}/messages?format=xml`)).statusCode).toBe(400);
  });

  it('answers 400 naming an unknown tool_call_id, 409 for a message while calls are open, and changes nothing', async () => {
    const id = await newSession();
    const stray = await call('POST', `/sessions/${id}/messages`, { role: 'tool', tool_call_id: 'call_ghost', content: 'x' });
    expect(stray.statusCode).toBe(400);
    expect(stray.json().error).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ field: 'tool_call_id' }] });
    expect(stray.json().error.message).toContain('"call_ghost"');
    await call('POST', `/sessions/${id}/messages`, turn[2]!);
    const before = (await call('GET', `/sessions/${id}/messages`)).json();
    const early = await call('POST', `/sessions/${id}/messages`, { role: 'user', content: 'and?' });
    expect(early.statusCode).toBe(409);
    expect(early.json().error).toMatchObject({ code: 'CONFLICT', details: [{ field: 'role' }] });
    expect(early.json().error.message).toMatch(/call_w, call_t/);
    const inTurn = await call('POST', `/sessions/${id}/turns`, { messages: [turn[3], { role: 'tool', tool_call_id: 'call_x', content: 'x' }] });
    expect(inTurn.statusCode).toBe(400);
    expect(inTurn.json().error.details).toEqual([expect.objectContaining({ field: 'messages[1].tool_call_id' })]);
    expect((await call('GET', `/sessions/${id}/messages`)).json()).toEqual(before);
  });
});

describe.each(backends)('summaries and the full tool-calling loop over HTTP on %s', (backend) => {
  // A budget tight enough that one tool-calling turn pushes the previous one out.
  const ctx = useApp(backend, { shortTermMaxTokens: 60 });
  const call = (method: 'GET' | 'POST', url: string, payload?: object) =>
    ctx.app.inject({ method, url: `/api/v1${url}`, headers: asAlice, ...(payload ? { payload } : {}) });
  const loop = (tag: string) => [
    { role: 'user', content: `Weather and time in Paris, ${tag}?` },
    {
      role: 'assistant',
      content: null,
      tool_calls: [
        { id: `${tag}_w`, name: 'get_weather', arguments: '{"city":"Paris"}' },
        { id: `${tag}_t`, name: 'get_time', arguments: '{"tz":"Europe/Paris"}' },
      ],
    },
    { role: 'tool', tool_call_id: `${tag}_w`, content: '{"temperature":18}' },
    { role: 'tool', tool_call_id: `${tag}_t`, content: '14:05' },
    { role: 'assistant', content: 'It is 18 °C and 14:05 in Paris.' },
  ];

  it('stores the OpenAI loop message by message, evicts it by units under a tight budget, and reads back valid Chat Completions input', async () => {
    const id = (await call('POST', '/sessions', { agent_id: 'a' })).json().session_id;
    await call('POST', `/sessions/${id}/messages`, { role: 'system', content: 'Be brief.' });
    for (const tag of ['one', 'two', 'three']) {
      for (const message of loop(tag)) expect((await call('POST', `/sessions/${id}/messages`, message)).statusCode).toBe(201);
    }
    const openai = (await call('GET', `/sessions/${id}/messages?format=openai`)).json().messages as Array<{ role: string; tool_calls?: Array<{ id: string }>; tool_call_id?: string }>;
    expect(openai[0]).toEqual({ role: 'system', content: 'Be brief.' });
    // Valid model input: every tool message follows the assistant message that called it.
    let open = new Set<string>();
    for (const message of openai) {
      if (message.role === 'tool') expect(open.delete(message.tool_call_id!)).toBe(true);
      else {
        expect(open.size).toBe(0);
        open = new Set(message.tool_calls?.map((c) => c.id) ?? []);
      }
    }
    expect(openai.find((m) => m.role !== 'system')!.role).not.toBe('tool');

    // What was evicted is buffered; a summary over it is committed once, and the context leads with it.
    const buffered = (await call('GET', `/sessions/${id}/evicted`)).json();
    expect(buffered.messages.length).toBeGreaterThan(0);
    const body = { summary: 'Asked twice about Paris.', through_id: buffered.messages.at(-1).id, summary_version: buffered.summary_version };
    const committed = await call('POST', `/sessions/${id}/summary`, body);
    expect(committed.statusCode).toBe(200);
    expect(committed.json().summary_version).toBe(buffered.summary_version + 1);
    const stale = await call('POST', `/sessions/${id}/summary`, body);
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('CONFLICT');
    const context = (await call('GET', `/sessions/${id}/context?format=openai`)).json();
    expect(context.summary).toBe('Asked twice about Paris.');
    expect(context.messages.slice(0, 2)).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'system', content: 'Summary of the earlier conversation:\nAsked twice about Paris.' },
    ]);
    expect(context.token_usage.used).toBeLessThanOrEqual(60);
    const neutral = (await call('GET', `/sessions/${id}/context`)).json();
    expect(neutral.summary).toBe('Asked twice about Paris.');
    expect(neutral.messages[0]).toMatchObject({ role: 'system', content: 'Be brief.' });
  });
});

describe.each(backends)('reading part of the window over HTTP on %s', (backend) => {
  const ctx = useApp(backend);
  const call = (method: 'GET' | 'POST', url: string, payload?: object) =>
    ctx.app.inject({ method, url: `/api/v1${url}`, headers: asAlice, ...(payload ? { payload } : {}) });

  it('?last=N answers the newest N and ?after=<id> the messages after it, in order; an unknown cursor is a 400', async () => {
    const id = (await call('POST', '/sessions', { agent_id: 'a' })).json().session_id;
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await call('POST', `/sessions/${id}/messages`, { role: i === 0 ? 'system' : 'user', content: `m${i}` })).json().message.id);
    const contents = async (query: string) => (await call('GET', `/sessions/${id}/messages?${query}`)).json().messages.map((m: { content: string }) => m.content);
    expect(await contents('last=2')).toEqual(['m4', 'm5']);
    expect(await contents(`after=${ids[2]}`)).toEqual(['m3', 'm4', 'm5']);
    expect(await contents(`after=${ids[1]}&last=1`)).toEqual(['m5']);
    expect(await contents(`after=${ids[5]}`)).toEqual([]);
    expect(await contents('last=100')).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
    const unknown = await call('GET', `/sessions/${id}/messages?after=no-such-message`);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details).toEqual([expect.objectContaining({ field: 'after' })]);
    for (const bad of ['last=0', 'last=-1', 'last=two']) expect((await call('GET', `/sessions/${id}/messages?${bad}`)).statusCode).toBe(400);
  });
});

describe.each(backends)('deleting messages over HTTP on %s', (backend) => {
  const ctx = useApp(backend);
  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    ctx.app.inject({ method, url: `/api/v1${url}`, headers: asAlice, ...(payload ? { payload } : {}) });

  it('deletes one message, a tool result with its whole unit, and clears the window keeping the session', async () => {
    const id = (await call('POST', '/sessions', { agent_id: 'a' })).json().session_id;
    const sys = (await call('POST', `/sessions/${id}/messages`, { role: 'system', content: 'rules' })).json().message.id;
    const user = (await call('POST', `/sessions/${id}/messages`, { role: 'user', content: 'q' })).json().message.id;
    const turn = (await call('POST', `/sessions/${id}/turns`, {
      messages: [
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', name: 'f', arguments: '{}' }, { id: 'c2', name: 'g', arguments: '{}' }] },
        { role: 'tool', tool_call_id: 'c1', content: 'one' },
      ],
    })).json().messages.map((m: { id: string }) => m.id);
    const window = () => call('GET', `/sessions/${id}/messages`).then((r) => r.json());

    // Deleting the half-answered turn's result takes the unit, and the turn no longer waits for c2.
    expect((await call('DELETE', `/sessions/${id}/messages/${turn[1]}`)).json()).toEqual({ deleted: turn });
    expect((await call('POST', `/sessions/${id}/messages`, { role: 'user', content: 'next' })).statusCode).toBe(201);
    expect((await call('DELETE', `/sessions/${id}/messages/${user}`)).json()).toEqual({ deleted: [user] });
    expect((await call('DELETE', `/sessions/${id}/messages/${sys}`)).json()).toEqual({ deleted: [sys] });
    const left = await window();
    expect(left.messages.map((m: { content: string }) => m.content)).toEqual(['next']);
    expect(left.token_usage.used).toBe(left.messages[0].tokens);
    expect((await call('DELETE', `/sessions/${id}/messages/${user}`)).statusCode).toBe(404);

    expect((await call('DELETE', `/sessions/${id}/messages`)).json().deleted).toHaveLength(1);
    expect(await window()).toEqual({ messages: [], token_usage: { used: 0, max: 4000, percentage: 0 } });
    expect((await call('GET', `/sessions/${id}`)).statusCode).toBe(200);
    expect((await call('POST', `/sessions/${id}/messages`, { role: 'user', content: 'again' })).statusCode).toBe(201);
    expect((await call('DELETE', '/sessions/no-such-session/messages')).statusCode).toBe(404);
  });
});
