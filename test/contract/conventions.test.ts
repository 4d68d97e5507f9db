import { connect } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/index.js';
import { ALICE_KEY, asAlice, testConfig } from '../support/app.js';
import { observeStatuses } from '../support/documented-statuses.js';
import { captureLogger } from '../support/log-capture.js';

/** What a raw HTTP/1.1 exchange answers: Node's own refusals never reach app.inject, so these go over a socket. */
function rawRequest(port: number, request: string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let data = '';
    socket.on('data', (chunk) => (data += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head, ...rest] = data.split('\r\n\r\n');
      const [statusLine, ...headerLines] = head!.split('\r\n');
      const headers = Object.fromEntries(headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine!.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
  });
}

/** A comma-separated header as its members. */
const members = (value: unknown) => String(value).split(',').map((member) => member.trim());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('HTTP conventions', () => {
  let app: FastifyInstance;
  let port: number;
  beforeAll(async () => {
    app = await buildApp({ config: testConfig({ corsOrigins: ['http://localhost:*', 'https://app.example.com'] }), logger: captureLogger() });
    observeStatuses(app);
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as { port: number }).port;
  });
  afterAll(async () => app?.close());

  const call = (method: string, url: string, options: { headers?: Record<string, string>; payload?: string | object } = {}) =>
    app.inject({ method: method as 'GET', url, headers: options.headers ?? asAlice, ...(options.payload !== undefined ? { payload: options.payload } : {}) });

  describe('405 Method Not Allowed', () => {
    it('answers a known path with a wrong method 405, with Allow listing its methods', async () => {
      for (const [method, url, allow] of [
        ['POST', '/api/v1/health', 'GET, HEAD, OPTIONS'],
        ['PUT', '/api/v1/sessions', 'DELETE, GET, HEAD, OPTIONS, POST'],
        ['PATCH', '/api/v1/tasks/t1/result', 'DELETE, GET, HEAD, OPTIONS, PUT'],
        ['GET', '/api/v1/sessions/s1/restore', 'OPTIONS, POST'],
      ] as const) {
        const res = await call(method, url);
        expect(res.statusCode, `${method} ${url}`).toBe(405);
        expect(res.headers.allow).toBe(allow);
        expect(res.json().error).toEqual({
          code: 'METHOD_NOT_ALLOWED',
          message: `${method} is not allowed on ${url}; it answers ${allow}`,
          request_id: res.headers['x-request-id'],
        });
      }
    });

    it('keeps 404 for a path no route has', async () => {
      const res = await call('GET', '/api/v1/nothing/here');
      expect(res.statusCode).toBe(404);
      expect(res.headers.allow).toBeUndefined();
      expect(res.json().error.code).toBe('NOT_FOUND');
    });
  });

  describe('CORS', () => {
    it('answers a preflight from an allowed origin with what it may send', async () => {
      const res = await call('OPTIONS', '/api/v1/sessions', {
        headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,idempotency-key' },
      });
      expect(res.statusCode).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe('http://localhost:3000');
      expect(members(res.headers['access-control-allow-methods'])).toEqual(expect.arrayContaining(['POST', 'DELETE', 'PUT']));
      expect(members(res.headers['access-control-allow-headers']).map((h) => h.toLowerCase())).toEqual(
        expect.arrayContaining(['authorization', 'content-type', 'idempotency-key', 'x-api-key']),
      );
      expect(res.headers.vary).toContain('Origin');
    });

    it('lets an allowed origin read the rate-limit and request-id headers', async () => {
      const res = await call('GET', '/api/v1/sessions', { headers: { ...asAlice, origin: 'https://app.example.com' } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBe('https://app.example.com');
      expect(members(res.headers['access-control-expose-headers'])).toEqual(
        expect.arrayContaining(['RateLimit', 'RateLimit-Policy', 'Retry-After', 'X-Request-ID']),
      );
    });

    it('gives an origin it does not know nothing to go on', async () => {
      for (const origin of ['https://evil.example.com', 'http://localhost.evil.example.com', 'https://app.example.com.evil.example.com']) {
        const res = await call('OPTIONS', '/api/v1/sessions', { headers: { origin, 'access-control-request-method': 'POST' } });
        expect(res.headers['access-control-allow-origin'], origin).toBeUndefined();
      }
    });

    it('is off when no origin is configured (the default outside local): an OPTIONS is then a 405', async () => {
      const closed = await buildApp({ config: testConfig({ corsOrigins: [] }), logger: captureLogger() });
      const res = await closed.inject({ method: 'OPTIONS', url: '/api/v1/sessions', headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST' } });
      expect(res.statusCode).toBe(405);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers.allow).toBe('DELETE, GET, HEAD, POST');
      await closed.close();
    });
  });

  describe("Node's own client errors, in the envelope", () => {
    it('answers a 20,000-character path 431 with the envelope and an X-Request-ID', async () => {
      const res = await rawRequest(port, `GET /api/v1/${'x'.repeat(20_000)} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
      expect(res.status).toBe(431);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['x-request-id']).toMatch(UUID);
      expect(JSON.parse(res.body)).toEqual({ error: { code: 'HEADERS_TOO_LARGE', message: expect.stringContaining('headers'), request_id: res.headers['x-request-id'] } });
    });

    it('answers a method HTTP does not have (curl -X FOO) 400 with the envelope, naming the methods it answers', async () => {
      const res = await rawRequest(port, 'FOO /api/v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n');
      expect(res.status).toBe(400);
      expect(res.headers['x-request-id']).toMatch(UUID);
      const body = JSON.parse(res.body);
      expect(body.error).toMatchObject({ code: 'VALIDATION_ERROR', request_id: res.headers['x-request-id'] });
      expect(body.error.message).toContain('GET, HEAD, POST, PUT, PATCH, DELETE and OPTIONS');
    });

    it('answers a malformed request line 400 in the envelope', async () => {
      const res = await rawRequest(port, 'GET /api/v1/health HTTP/1.1\r\nHost localhost\r\n\r\n');
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body).error).toMatchObject({ code: 'VALIDATION_ERROR', request_id: res.headers['x-request-id'] });
    });
  });

  describe('messages that say what was wrong and what is allowed', () => {
    it('names the allowed roles for an unknown role, once', async () => {
      const session = (await call('POST', '/api/v1/sessions', { payload: { agent_id: 'a' } })).json().session_id;
      const res = await call('POST', `/api/v1/sessions/${session}/messages`, { payload: { role: 'robot', content: 'hi' } });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toBe('body.role must be one of system, user, assistant, tool');
      expect(res.json().error.details).toEqual([
        { field: 'role', location: 'body', message: 'must be one of system, user, assistant, tool', allowed: ['system', 'user', 'assistant', 'tool'] },
      ]);
    });

    it('answers a JSON body sent as text/plain 415, naming the type it got and the one it takes', async () => {
      const res = await call('POST', '/api/v1/sessions', { headers: { ...asAlice, 'content-type': 'text/plain' }, payload: '{"agent_id":"a"}' });
      expect(res.statusCode).toBe(415);
      expect(res.json().error).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the body as Content-Type: application/json (got text/plain)' });
    });

    it('says a __proto__ key is what is refused, not that the JSON is invalid, and stores nothing', async () => {
      const before = (await call('GET', '/api/v1/sessions')).json().sessions.length;
      for (const payload of ['{"agent_id":"a","metadata":{"__proto__":{"admin":true}}}', '{"agent_id":"a","metadata":{"constructor":{"prototype":{"admin":true}}}}']) {
        const res = await call('POST', '/api/v1/sessions', { headers: { ...asAlice, 'content-type': 'application/json' }, payload });
        expect(res.statusCode).toBe(400);
        expect(res.json().error.message).toContain('Body is valid JSON but holds a "__proto__" key');
        expect(res.json().error.details).toEqual([{ field: 'body', location: 'body', message: res.json().error.message }]);
      }
      expect((await call('GET', '/api/v1/sessions')).json().sessions.length).toBe(before);
      const broken = await call('POST', '/api/v1/sessions', { headers: { ...asAlice, 'content-type': 'application/json' }, payload: '{"agent_id":' });
      expect(broken.json().error.message).toMatch(/^Body is not valid JSON: /);
    });

    it('asks for a JSON object when the body is missing', async () => {
      const res = await call('POST', '/api/v1/sessions');
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toBe('body must be a JSON object, sent as Content-Type: application/json');
    });

    it('tells Basic auth, a bare key and a missing key apart, never echoing what was sent', async () => {
      const basic = await call('GET', '/api/v1/sessions', { headers: { authorization: `Basic ${Buffer.from(`alice:${ALICE_KEY}`).toString('base64')}` } });
      expect(basic.statusCode).toBe(401);
      expect(basic.json().error.message).toBe(
        'Authorization uses the Basic scheme, which the service does not accept: send Authorization: Bearer <key> or X-API-Key: <key>',
      );
      const bare = await call('GET', '/api/v1/sessions', { headers: { authorization: ALICE_KEY } });
      expect(bare.json().error.message).toBe('Authorization is not of the form Bearer <key>: send Authorization: Bearer <key> or X-API-Key: <key>');
      expect(bare.body).not.toContain(ALICE_KEY);
      expect((await call('GET', '/api/v1/sessions', { headers: {} })).json().error.message).toMatch(/^Missing API key/);
    });

    it('serves GET /sessions/ as GET /sessions instead of reading an empty id', async () => {
      const res = await call('GET', '/api/v1/sessions/');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toHaveProperty('sessions');
    });
  });

  describe('one rule for every route', () => {
    it('refuses an unknown query parameter on every operation, naming it', async () => {
      for (const [method, url] of [
        ['GET', '/api/v1/health'],
        ['GET', '/api/v1/sessions'],
        ['GET', '/api/v1/tasks/m/result'],
        ['DELETE', '/api/v1/tasks/m/result'],
        ['GET', '/api/v1/sessions/s/messages'],
      ] as const) {
        const res = await call(method, `${url}?foo=1`);
        expect(res.statusCode, `${method} ${url}`).toBe(400);
        expect(res.json().error.details).toEqual([{ field: 'foo', location: 'querystring', message: 'is not an accepted field' }]);
      }
    });

    it('refuses . and .. as ids, sent as they are (fetch and curl would rewrite them)', async () => {
      for (const id of ['.', '..']) {
        const res = await rawRequest(port, `GET /api/v1/tasks/${id}/result HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${ALICE_KEY}\r\nConnection: close\r\n\r\n`);
        expect(res.status, id).toBe(400);
        expect(JSON.parse(res.body).error.details).toEqual([
          { field: 'task_id', location: 'params', message: 'must be 1 to 128 letters, digits, \'_\', \'-\' or \'.\', and not "." or ".."' },
        ]);
      }
      const created = await call('POST', '/api/v1/sessions', { payload: { agent_id: '..' } });
      expect(created.statusCode).toBe(400);
      expect(created.json().error.details).toEqual([expect.objectContaining({ field: 'agent_id' })]);
    });

    it('gives details one shape: a list of {field, message, location?, allowed?}', async () => {
      const answers = [
        await call('PUT', '/api/v1/tasks/t/result', { payload: { ttl_seconds: 'x', extra: 1 } }),
        await call('POST', '/api/v1/sessions', { payload: { agent_id: 5 } }),
      ];
      for (const res of answers) {
        expect(res.statusCode).toBe(400);
        for (const detail of res.json().error.details) {
          expect(Object.keys(detail).every((key) => ['field', 'message', 'location', 'allowed'].includes(key))).toBe(true);
          expect(typeof detail.field).toBe('string');
          expect(typeof detail.message).toBe('string');
        }
      }
    });
  });
});
