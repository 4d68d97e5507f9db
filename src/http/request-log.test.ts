import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE_KEY, asAlice, testConfig } from '../../test/support/app.js';
import { captureLog } from '../../test/support/log-capture.js';
import { buildApp } from './app.js';

/** One structured line per request, and the request's id on every line the services write while serving it. */
describe('request log lines', () => {
  const log = captureLog('debug');
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp({ config: testConfig(), logger: log.logger });
    await app.ready();
  });
  afterAll(() => app?.close());

  it('writes one line per request with id, route template, status, duration and user, never the key or raw path', async () => {
    log.clear();
    const created = await app.inject({ method: 'POST', url: '/api/v1/sessions', headers: { ...asAlice, 'x-request-id': 'trace-create-1' }, payload: { agent_id: 'bot' } });
    const id = created.json().session_id as string;
    const read = await app.inject({ method: 'GET', url: `/api/v1/sessions/${id}`, headers: { ...asAlice, 'x-request-id': 'trace-read-1' } });
    expect(read.statusCode).toBe(200);
    const lines = log.entries().filter((line) => line.msg === 'request completed');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ reqId: 'trace-read-1', route: '/api/v1/sessions/:session_id', method: 'GET', status: 200, userId: 'alice' });
    expect(typeof lines[1]!.durationMs).toBe('number');
    expect(lines[0]).toMatchObject({ reqId: 'trace-create-1', route: '/api/v1/sessions', status: 201, userId: 'alice' });
    // Neither the API key nor the id-bearing raw path reaches a log line.
    expect(log.text()).not.toContain(ALICE_KEY);
    expect(JSON.stringify(lines)).not.toContain(id);
  });

  it('puts the request id on the session and memory lines written while serving it', async () => {
    log.clear();
    const created = await app.inject({ method: 'POST', url: '/api/v1/sessions', headers: { ...asAlice, 'x-request-id': 'trace-svc-1' }, payload: { agent_id: 'bot' } });
    const id = created.json().session_id as string;
    await app.inject({ method: 'DELETE', url: `/api/v1/sessions`, headers: { ...asAlice, 'x-request-id': 'trace-svc-2' } });
    const serviceLines = log.entries().filter((line) => line.msg !== 'request completed');
    const created_ = serviceLines.find((line) => line.msg === 'Session created');
    expect(created_).toMatchObject({ reqId: 'trace-svc-1', sessionId: id });
    expect(serviceLines.find((line) => line.msg === 'All sessions of a user deleted')).toMatchObject({ reqId: 'trace-svc-2' });
    // Each line says reqId once, even those written through the request's own logger.
    for (const line of log.text().trim().split('\n')) expect(line.match(/"reqId"/g) ?? []).toHaveLength(1);
  });

  it('logs nothing with a request id outside a request', async () => {
    log.clear();
    await app.remembr.sessions.create('alice', { agentId: 'outside' });
    const line = log.entries().find((entry) => entry.msg === 'Session created');
    expect(line).toBeDefined();
    expect(line!.reqId).toBeUndefined();
  });
});
