import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { ALICE_KEY, BOB_KEY } from '../support/secrets.js';
import { startService, type ServiceProcess } from '../support/service.js';

/*
 * The MCP server through the SDK's own Client, over both transports: stdio by spawning the built `npx remembr
 * mcp`, and Streamable HTTP against the started service's /mcp. Both share one redis-server, so a session made
 * over one transport is visible over the other, to the same user only.
 */
const root = join(import.meta.dirname, '..', '..');
const API_KEYS = `alice:${ALICE_KEY},bob:${BOB_KEY}`;

const TOOLS = [
  'checkpoint_create',
  'checkpoint_list',
  'checkpoint_restore',
  'context_read',
  'messages_append',
  'messages_read',
  'session_create',
  'session_delete',
  'session_get',
  'session_list',
  'session_patch',
  'task_peek',
  'task_put',
  'task_take',
];

interface ToolAnswer {
  isError?: boolean;
  structuredContent?: Record<string, any>;
  content: Array<{ type: string; text?: string }>;
}

async function connect(transport: Transport): Promise<{ client: Client; call: (name: string, args?: Record<string, unknown>) => Promise<ToolAnswer> }> {
  const client = new Client({ name: 'remembr-test', version: '1.0.0' });
  await client.connect(transport);
  const call = async (name: string, args: Record<string, unknown> = {}) => (await client.callTool({ name, arguments: args })) as ToolAnswer;
  return { client, call };
}

function stdio(redisUrl: string, apiKey: string | undefined): StdioClientTransport {
  return new StdioClientTransport({
    command: 'npx',
    args: ['--no-install', 'remembr', 'mcp'],
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      REDIS_URL: redisUrl,
      REMEMBR_API_KEYS: API_KEYS,
      LOG_LEVEL: 'warn',
      ...(apiKey === undefined ? {} : { REMEMBR_API_KEY: apiKey }),
    },
    stderr: 'pipe',
  });
}

const http = (service: ServiceProcess, apiKey: string) =>
  new StreamableHTTPClientTransport(new URL(`${service.baseUrl}/mcp`), { requestInit: { headers: { authorization: `Bearer ${apiKey}` } } });

/** A full agent flow: session, messages, checkpoint and restore, a task result put, peeked and taken. */
async function fullFlow(call: (name: string, args?: Record<string, unknown>) => Promise<ToolAnswer>): Promise<string> {
  const created = await call('session_create', { agent_id: 'planner', metadata: { goal: 'trip' } });
  expect(created.isError).toBeFalsy();
  const session_id = created.structuredContent!.session_id as string;
  expect(created.structuredContent).toMatchObject({ agent_id: 'planner', metadata: { goal: 'trip' } });
  expect((await call('session_get', { session_id })).structuredContent).toMatchObject({ session_id, agent_id: 'planner' });
  expect((await call('session_list')).structuredContent!.sessions.map((s: { session_id: string }) => s.session_id)).toContain(session_id);
  const patched = await call('session_patch', { session_id, metadata: { goal: null, leg: { from: 'Porto' } } });
  expect(patched.structuredContent).toMatchObject({ session_id, metadata: { leg: { from: 'Porto' } } });

  await call('messages_append', { session_id, role: 'system', content: 'You plan trips.' });
  const appended = await call('messages_append', { session_id, role: 'user', content: 'Lisbon in May?' });
  expect(appended.structuredContent).toMatchObject({ message: { role: 'user', content: 'Lisbon in May?' }, evicted: [] });
  // A tool exchange: the call, then its result; anything else in between is a CONFLICT, as a model would refuse it.
  const asking = await call('messages_append', {
    session_id, role: 'assistant', content: null, tool_calls: [{ id: 'call_1', name: 'weather', arguments: '{"city":"Lisbon"}' }],
  });
  expect(asking.structuredContent).toMatchObject({ message: { tool_calls: [{ id: 'call_1', name: 'weather' }] } });
  expect((await call('messages_append', { session_id, role: 'user', content: 'Hurry' })).structuredContent).toMatchObject({ error: { code: 'CONFLICT' } });
  await call('messages_append', { session_id, role: 'tool', content: '22°C', tool_call_id: 'call_1' });
  const checkpoint = await call('checkpoint_create', { session_id });
  const checkpoint_id = checkpoint.structuredContent!.checkpoint_id as string;
  expect(checkpoint.structuredContent).toMatchObject({ message_count: 4 });
  await call('messages_append', { session_id, role: 'assistant', content: 'Yes: warm, not hot.' });
  expect((await call('messages_read', { session_id })).structuredContent!.messages).toHaveLength(5);
  expect((await call('checkpoint_list', { session_id })).structuredContent!.checkpoints).toEqual([
    expect.objectContaining({ checkpoint_id, message_count: 4 }),
  ]);
  expect((await call('checkpoint_restore', { session_id, checkpoint_id })).structuredContent).toEqual({ restored_message_count: 4 });
  const window = (await call('messages_read', { session_id })).structuredContent!;
  expect(window.messages.map((m: { content: string }) => m.content)).toEqual(['You plan trips.', 'Lisbon in May?', null, '22°C']);
  expect(window.token_usage.used).toBeGreaterThan(0);
  const context = (await call('context_read', { session_id })).structuredContent!;
  expect(context).toMatchObject({ summary: null, token_usage: window.token_usage });
  expect(context.messages).toEqual(window.messages);

  expect((await call('task_put', { task_id: `plan-${session_id}`, result: { days: 4 }, ttl_seconds: 60 })).structuredContent).toEqual({ ttl_seconds: 60 });
  expect((await call('task_peek', { task_id: `plan-${session_id}` })).structuredContent).toEqual({ result: { days: 4 } });
  expect((await call('task_take', { task_id: `plan-${session_id}` })).structuredContent).toEqual({ result: { days: 4 } });
  const gone = await call('task_take', { task_id: `plan-${session_id}` });
  expect(gone.isError).toBe(true);
  expect(gone.structuredContent).toMatchObject({ error: { code: 'NOT_FOUND' } });
  return session_id;
}

async function badArguments(call: (name: string, args?: Record<string, unknown>) => Promise<ToolAnswer>): Promise<void> {
  const wrongRole = await call('messages_append', { session_id: 'abc', role: 'wizard', content: 'hi' });
  expect(wrongRole.isError).toBe(true);
  expect(wrongRole.structuredContent).toMatchObject({ error: { code: 'VALIDATION_ERROR', details: [expect.objectContaining({ field: 'role' })] } });
  expect(JSON.parse(wrongRole.content[0]!.text!).error.message).toMatch(/role/);
  const badId = await call('session_get', { session_id: '../etc' });
  expect(badId.structuredContent).toMatchObject({ error: { code: 'VALIDATION_ERROR' } });
  const dotDot = await call('session_get', { session_id: '..' });
  expect(dotDot.structuredContent).toMatchObject({ error: { code: 'VALIDATION_ERROR', details: [expect.objectContaining({ field: 'session_id' })] } });
  expect(JSON.parse(dotDot.content[0]!.text!).error.message).toMatch(/"\.\."/);
  const extra = await call('session_list', { user_id: 'bob' });
  expect(extra.structuredContent).toMatchObject({ error: { code: 'VALIDATION_ERROR' } });
  const unknown = await call('no_such_tool');
  expect(unknown.structuredContent).toMatchObject({ error: { code: 'NOT_FOUND' } });
}

describe('MCP server', () => {
  let redis: RedisServer;
  let service: ServiceProcess;
  beforeAll(async () => {
    redis = await startRedisServer();
    service = await startService({ REDIS_URL: redis.url, REMEMBR_API_KEYS: API_KEYS, LOG_LEVEL: 'warn' });
  });
  afterAll(async () => {
    await service?.stop();
    await redis?.stop();
  });

  describe('over stdio (npx remembr mcp)', () => {
    it('lists the tools, runs the whole flow, answers bad arguments as tool errors, and hides another key’s session', { timeout: 60_000 }, async () => {
      const alice = await connect(stdio(redis.url, ALICE_KEY));
      try {
        const { tools } = await alice.client.listTools();
        expect(tools.map((t) => t.name).sort()).toEqual(TOOLS);
        const append = tools.find((t) => t.name === 'messages_append')!;
        expect(append.inputSchema).toMatchObject({ type: 'object', required: ['session_id', 'role', 'content'], additionalProperties: false });
        const sessionId = await fullFlow(alice.call);
        await badArguments(alice.call);

        const bob = await connect(stdio(redis.url, BOB_KEY));
        try {
          const hidden = await bob.call('session_get', { session_id: sessionId });
          expect(hidden.structuredContent).toMatchObject({ error: { code: 'NOT_FOUND' } });
          expect((await bob.call('session_list')).structuredContent).toEqual({ sessions: [] });
          expect((await bob.call('session_delete', { session_id: sessionId })).isError).toBe(true);
        } finally {
          await bob.client.close();
        }
        // Bob's attempt changed nothing.
        expect((await alice.call('session_get', { session_id: sessionId })).isError).toBeFalsy();
      } finally {
        await alice.client.close();
      }
    });

    it('refuses a wrong key: the process exits before answering, saying which variable is wrong', { timeout: 60_000 }, async () => {
      const transport = stdio(redis.url, 'not-a-key-of-anyone-000000');
      let stderr = '';
      transport.stderr?.on('data', (chunk) => (stderr += chunk));
      await expect(connect(transport)).rejects.toThrow();
      await transport.close();
      expect(stderr).toContain('REMEMBR_API_KEY does not match any key of REMEMBR_API_KEYS');
      expect(stderr).not.toContain(ALICE_KEY);
    });
  });

  describe('over Streamable HTTP (/mcp on the service)', () => {
    it('lists the tools, runs the whole flow, answers bad arguments as tool errors, and hides another key’s session', async () => {
      const alice = await connect(http(service, ALICE_KEY));
      const bob = await connect(http(service, BOB_KEY));
      try {
        expect((await alice.client.listTools()).tools.map((t) => t.name).sort()).toEqual(TOOLS);
        const sessionId = await fullFlow(alice.call);
        await badArguments(alice.call);
        expect((await bob.call('session_get', { session_id: sessionId })).structuredContent).toMatchObject({ error: { code: 'NOT_FOUND' } });
        expect((await bob.call('messages_read', { session_id: sessionId })).structuredContent).toMatchObject({ error: { code: 'NOT_FOUND' } });
        // The same user over REST sees what MCP made: one service, one store.
        const rest = await fetch(`${service.baseUrl}/api/v1/sessions/${sessionId}`, { headers: { authorization: `Bearer ${ALICE_KEY}` } });
        expect(rest.status).toBe(200);
      } finally {
        await alice.client.close();
        await bob.client.close();
      }
    });

    it('refuses a wrong key with 401 and the envelope, as /api/v1 does', async () => {
      await expect(connect(http(service, 'not-a-key-of-anyone-000000'))).rejects.toThrow(/401|Invalid API key/);
      const raw = await fetch(`${service.baseUrl}/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      expect(raw.status).toBe(401);
      expect((await raw.json()).error.code).toBe('UNAUTHORIZED');
    });

    it('counts MCP requests against the key’s rate limit, shown in the same headers', async () => {
      const res = await fetch(`${service.baseUrl}/mcp`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ALICE_KEY}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      expect(res.status).toBe(200);
      const limitHeaders = [...res.headers.keys()].filter((name) => name.toLowerCase().startsWith('ratelimit') || name.startsWith('x-ratelimit'));
      expect(limitHeaders.length).toBeGreaterThan(0);
    });
  });
});
