import type { FastifyInstance, RouteOptions } from 'fastify';
import { COMPONENT_SCHEMAS, ErrorEnvelope, errorResponse, NoQuery } from './schemas.js';

/**
 * The OpenAPI side of the contract. Routes say what is theirs (operationId, summary, parameters, success bodies,
 * and the errors only they give, such as 404); `documentRoute` adds, at registration, what every route of a kind
 * shares: the errors the hooks in front of it can answer, the envelope as their body, the headers every answer
 * carries, and the rule that an unknown query parameter is a 400. So a route cannot forget them, and
 * `redocly lint` (test/contract/openapi-lint.test.ts) fails for one that forgets its own part.
 */

/** A response header as @fastify/swagger takes it: its schema, with the description beside the type. */
type Header = { description: string; type: string; minimum?: number };

export const RESPONSE_HEADERS = {
  requestId: {
    'X-Request-ID': {
      description: 'The request’s id: the caller’s own when it sent a plain token (1 to 128 of A-Z a-z 0-9 . _ : -), otherwise a new UUID',
      type: 'string',
    },
  },
  rateLimit: {
    RateLimit: {
      description:
        'The caller’s service limit (draft-ietf-httpapi-ratelimit-headers-10), a structured-field list: `"default";r=<requests left>;t=<seconds until the window resets>`',
      type: 'string',
    },
    'RateLimit-Policy': {
      description: 'The quota policy, a structured-field list: `"default";q=<requests>;w=<window seconds>`',
      type: 'string',
    },
  },
  retryAfter: {
    'Retry-After': { description: 'Seconds to wait before retrying', type: 'integer', minimum: 1 },
  },
} satisfies Record<string, Record<string, Header>>;

/** What each error status means wherever it is given, unless the route describes it itself. */
const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'The request is malformed; `error.details` names each field that is wrong and what it accepts (VALIDATION_ERROR)',
  401: 'No API key, or one the service does not know (UNAUTHORIZED)',
  404: 'Not found (NOT_FOUND)',
  413: 'The body is larger than BODY_LIMIT_BYTES (PAYLOAD_TOO_LARGE)',
  409: 'The request does not fit the current state (CONFLICT)',
  415: 'The body is not application/json (UNSUPPORTED_MEDIA_TYPE)',
  422: 'The request is well formed but cannot be carried out (CAPACITY_EXCEEDED), or its Idempotency-Key was already used for a different request (IDEMPOTENCY_KEY_REUSED)',
  429:
    'Over the caller’s rate limit, or too many failed authentications from this address; retry after Retry-After seconds (RATE_LIMIT_EXCEEDED)',
  500: 'An unexpected error; it is logged with the request id (INTERNAL_ERROR)',
  503: 'The store is unavailable and nothing was changed, or rate limiting fails closed while it is; retry after Retry-After seconds (SERVICE_UNAVAILABLE)',
  504:
    'The store did not answer in time, so the write may or may not have been carried out; retry with the same Idempotency-Key (OUTCOME_UNKNOWN)',
};

const SUCCESS_DESCRIPTIONS: Record<number, string> = { 200: 'OK', 201: 'Created', 204: 'Done; no body' };

/** What a route's kind adds: the errors its hooks can answer, whatever the route itself does. */
function sharedErrors(route: { authenticated: boolean; takesBody: boolean }): number[] {
  // Every route validates its query string (and its parameters), and any can fail unexpectedly.
  const statuses = [400, 500];
  // Fastify parses a body sent with any method but GET and HEAD, whether or not the route reads one.
  if (route.takesBody) statuses.push(413, 415);
  // Authentication, the per-address failure limit, the rate limit, and the store behind them.
  if (route.authenticated) statuses.push(401, 429, 503);
  // A write the store did not acknowledge in time (a read is simply 503: it is safe to repeat).
  if (route.authenticated && route.takesBody) statuses.push(504);
  return statuses;
}

function headersFor(status: number, authenticated: boolean): Record<string, Header> {
  // 401 is answered before the caller is known, so it is not counted against a rate limit; with the store down the
  // limiter counts nothing either, so the fields may be absent from a 503 (they are never required).
  const counted = authenticated && status !== 401;
  return {
    ...RESPONSE_HEADERS.requestId,
    ...(counted ? RESPONSE_HEADERS.rateLimit : {}),
    ...(status === 429 || status === 503 || status === 504 ? RESPONSE_HEADERS.retryAfter : {}),
  };
}

type ResponseEntry = Record<string, unknown> & { description?: string; content?: Record<string, unknown>; headers?: Record<string, Header> };

const isEnvelope = (schema: Record<string, unknown>) => schema.$ref === `${ErrorEnvelope.$id}#`;

/**
 * Turns a route's `response` into the full OpenAPI form Fastify also understands (`{ description, headers,
 * content }`), adding the shared errors. A response that already has `content` (a non-JSON one) only gets headers.
 */
function completeResponses(response: Record<string, ResponseEntry>, authenticated: boolean, takesBody: boolean): Record<string, ResponseEntry> {
  const complete: Record<string, ResponseEntry> = {};
  const statuses = new Set([...Object.keys(response), ...sharedErrors({ authenticated, takesBody }).map(String)]);
  for (const key of [...statuses].sort()) {
    const status = Number(key);
    const given = response[key];
    const headers = { ...headersFor(status, authenticated), ...(given?.headers ?? {}) };
    if (given?.content) {
      complete[key] = { ...given, description: given.description ?? SUCCESS_DESCRIPTIONS[status] ?? 'Answer', headers };
      continue;
    }
    if (status >= 400 && (given === undefined || isEnvelope(given))) {
      const description = given?.description ?? ERROR_DESCRIPTIONS[status] ?? 'Error';
      complete[key] = { description, headers, content: { 'application/json': { schema: { $ref: `${ErrorEnvelope.$id}#` } } } };
      continue;
    }
    // A success, or a failure with a body of its own (readiness answers 503 with its status, not the envelope).
    const { description, ...schema } = given!;
    const text = description ?? SUCCESS_DESCRIPTIONS[status] ?? ERROR_DESCRIPTIONS[status] ?? 'Answer';
    // A body-less answer (204) keeps its `type: 'null'` schema, which is how @fastify/swagger knows to emit no content.
    complete[key] = schema.type === 'null' ? { ...schema, description: text, headers } : { description: text, headers, content: { 'application/json': { schema } } };
  }
  return complete;
}

/**
 * The onRoute hook, on the root instance before any route. A route whose `security` is `[]` is public (health);
 * every other is behind authentication and the rate limit. Hidden routes (`/metrics`, the docs UI) are left alone.
 */
export function documentRoute(route: RouteOptions): void {
  const schema = (route.schema ?? {}) as Record<string, unknown> & { hide?: boolean; security?: unknown[]; response?: Record<string, ResponseEntry> };
  if (schema.hide) return;
  const authenticated = !(Array.isArray(schema.security) && schema.security.length === 0);
  // A route that takes an Idempotency-Key can answer 422 for a key reused with another request.
  const idempotent = (schema.headers as { properties?: Record<string, unknown> } | undefined)?.properties?.['idempotency-key'] !== undefined;
  const response = idempotent && !schema.response?.['422'] ? { ...schema.response, 422: errorResponse(ERROR_DESCRIPTIONS[422]!) } : (schema.response ?? {});
  route.schema = {
    ...(schema as RouteOptions['schema']),
    querystring: schema.querystring ?? NoQuery,
    response: completeResponses(response, authenticated, ![route.method].flat().every((method) => method === 'GET' || method === 'HEAD')),
  };
}

export interface OpenApiOptions {
  version: string;
  /** Serve the document and the UI at /docs. The document is still built (for `app.swagger()`) when false. */
  serveDocs: boolean;
}

/** Registers the shared schemas, the document's generator, and (outside production) the UI at /docs. */
export async function registerOpenApi(app: FastifyInstance, options: OpenApiOptions): Promise<void> {
  for (const schema of COMPONENT_SCHEMAS) app.addSchema(schema);
  app.addHook('onRoute', documentRoute);
  const { default: swagger } = await import('@fastify/swagger');
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Remembr',
        version: options.version,
        description: 'Short-lived state for AI agents: sessions, short-term memory, rate limits, task results.',
        license: { name: 'MIT', url: 'https://opensource.org/license/mit' },
      },
      servers: [{ url: '/', description: 'The service that serves this document' }],
      tags: [
        { name: 'health', description: 'Whether the service and its store can be used' },
        { name: 'sessions', description: 'A user’s sessions, each living SESSION_TTL after its last refresh' },
        { name: 'short-term memory', description: 'A session’s message window within a token budget (SHORT_TERM_MAX_TOKENS, 4,000 by default), and its checkpoints (20 kept per session)' },
        { name: 'tasks', description: 'Temporary task results, claimed once' },
      ],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <key> (REMEMBR_API_KEYS)' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'The same key, in X-API-Key' },
        },
      },
      security: [{ bearer: [] }, { apiKey: [] }],
    },
    // Components are named by their $id, so a $ref reads as `#/components/schemas/Session`.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  if (options.serveDocs) {
    const { default: swaggerUi } = await import('@fastify/swagger-ui');
    await app.register(swaggerUi, { routePrefix: '/docs' });
  }
}
