import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { HttpError, type ErrorBody, type ErrorCode } from './errors.js';

/**
 * HTTP's own conventions, kept in one place: what a wrong method, a browser's preflight, a body in the wrong type
 * and a request Node itself refuses are answered with. Each answer is the one error envelope with an X-Request-ID.
 */

// 405 Method Not Allowed

/** `/api/v1/sessions/:session_id` as a pattern over concrete paths (one segment per parameter). */
function pathPattern(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}/?$`);
}

/**
 * Remembers each route's path and methods (an onRoute hook), so the not-found handler can tell a path that does not
 * exist (404) from one that exists for other methods (405 with Allow). Wildcard routes (the docs' static files,
 * CORS's `OPTIONS *`) are left out: they would make every path look known.
 */
export function methodTable(): { onRoute(route: RouteOptions): void; allowed(path: string): string[] } {
  const routes = new Map<string, { pattern: RegExp; methods: Set<string> }>();
  return {
    onRoute(route) {
      if (route.url.includes('*')) return;
      const entry = routes.get(route.url) ?? { pattern: pathPattern(route.url), methods: new Set<string>() };
      for (const method of [route.method].flat()) entry.methods.add(method);
      routes.set(route.url, entry);
    },
    allowed(path) {
      const methods = new Set<string>();
      for (const { pattern, methods: own } of routes.values()) if (pattern.test(path)) for (const method of own) methods.add(method);
      return [...methods].sort();
    },
  };
}

export function notFoundOrNotAllowed(request: FastifyRequest, allowed: string[], extraMethods: string[]): HttpError {
  const path = request.url.split('?')[0]!;
  if (allowed.length === 0) return new HttpError(404, 'NOT_FOUND', `No route for ${request.method} ${path}`);
  const allow = [...new Set([...allowed, ...extraMethods])].sort();
  return new HttpError(
    405,
    'METHOD_NOT_ALLOWED',
    `${request.method} is not allowed on ${path}; it answers ${allow.join(', ')}`,
    undefined,
    { allow: allow.join(', ') },
  );
}

// Bodies

/**
 * application/json is the one body type (text/plain, which Fastify would hand to the schema as a string, is a 415
 * like any other). The JSON parser says what is actually wrong: invalid JSON with the parser's reason, or valid JSON
 * holding a `__proto__` or `constructor.prototype` key, which is refused because merging it would poison prototypes.
 */
export function jsonBodiesOnly(app: FastifyInstance): void {
  const parse = jsonParser(app);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parse);
}

/** The JSON body parser described above, for a route that takes JSON under another media type as well. */
export function jsonParser(app: FastifyInstance): ContentTypeParser {
  const secureParse = app.getDefaultJsonParser('error', 'error');
  return (request, body, done) => {
    secureParse(request, body as string, (err, value) => {
      if (!err) return done(null, value);
      if ((err as { code?: string }).code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return done(err, undefined);
      let reason: string;
      try {
        JSON.parse(String(body));
        reason = 'Body is valid JSON but holds a "__proto__" key or a "constructor" with a "prototype" key, which the service refuses; rename the key';
      } catch (syntax) {
        reason = `Body is not valid JSON: ${(syntax as Error).message}`;
      }
      done(new HttpError(400, 'VALIDATION_ERROR', reason, [{ field: 'body', location: 'body', message: reason }]), undefined);
    });
  };
}

type ContentTypeParser = (request: FastifyRequest, body: string | Buffer, done: (err: Error | null, body?: unknown) => void) => void;

// CORS

/** `http://localhost:*`-style origins match any port; `*` matches every origin. */
export function originMatcher(origins: readonly string[]): (origin: string) => boolean {
  if (origins.includes('*')) return () => true;
  const patterns = origins.map((origin) => {
    const escaped = origin.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:\*$/, '(?::\\d{1,5})?');
    return new RegExp(`^${escaped}$`, 'i');
  });
  return (origin) => patterns.some((pattern) => pattern.test(origin));
}

/** Headers a browser app may send, and may read from an answer. */
export const CORS_REQUEST_HEADERS = ['Authorization', 'X-API-Key', 'Content-Type', 'Idempotency-Key', 'X-Request-ID'];
export const CORS_EXPOSED_HEADERS = ['RateLimit', 'RateLimit-Policy', 'Retry-After', 'X-Request-ID', 'Allow', 'WWW-Authenticate'];

export async function registerCors(app: FastifyInstance, origins: readonly string[]): Promise<void> {
  const { default: cors } = await import('@fastify/cors');
  const allowed = originMatcher(origins);
  await app.register(cors, {
    origin: (origin, callback) => callback(null, origin !== undefined && allowed(origin)),
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: CORS_REQUEST_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    // Keys travel in headers, never in cookies.
    credentials: false,
    maxAge: 600,
  });
}

// Node's own client errors

const CLIENT_ERRORS: Record<string, { status: number; code: ErrorCode; message: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'HEADERS_TOO_LARGE',
    message: 'The request line and headers are larger than the server accepts (16 KiB in all); shorten the URL or the headers',
  },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'REQUEST_TIMEOUT', message: 'The request was not received in time' },
  HPE_INVALID_METHOD: {
    status: 400,
    code: 'VALIDATION_ERROR',
    message: 'The request method is not one HTTP defines; the service answers GET, HEAD, POST, PUT, PATCH, DELETE and OPTIONS',
  },
};

/**
 * Fastify's clientErrorHandler: Node refused the request before Fastify saw it (headers too large, a method or
 * request line HTTP does not have), so no hook runs. The answer is written to the socket by hand, in the envelope,
 * with a fresh request id, and the connection closed as Node would.
 */
export function clientErrorHandler(this: FastifyInstance, err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const known = CLIENT_ERRORS[err.code ?? ''] ?? { status: 400, code: 'VALIDATION_ERROR' as const, message: 'The request is not valid HTTP/1.1' };
  const requestId = randomUUID();
  const body: ErrorBody = { error: { code: known.code, message: known.message, request_id: requestId } };
  const payload = JSON.stringify(body);
  this.log.debug({ code: err.code, requestId }, 'client error');
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${known.status} ${STATUS_CODES[known.status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n` +
        `X-Request-ID: ${requestId}\r\nConnection: close\r\n\r\n${payload}`,
    );
  }
  socket.destroy(err);
}
