import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type onRequestHookHandler } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { createRemembr, loadEncoder, prestartCounting, silentLogger, startDeadline, withinDeadline, type Config, type Logger, type Remembr, type Store } from '../index.js';
import { VERSION } from '../version.js';
import { sendError } from './errors.js';
import { authenticate, createAuthenticator, type Caller } from './auth.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes, operatorAccess } from './routes/metrics.js';
import { withinRequest } from '../observability/request-context.js';
import { sessionRoutes } from './routes/sessions.js';
import { memoryRoutes } from './routes/memory.js';
import { taskRoutes } from './routes/tasks.js';
import { mcpRoutes } from './routes/mcp.js';
import { authFailureGuard, chargeRequests, limitRequests } from './rate-limit.js';
import { registerOpenApi } from './openapi.js';
import { recordRequests } from './request-metrics.js';
import { clientErrorHandler, jsonBodiesOnly, methodTable, notFoundOrNotAllowed, registerCors } from './conventions.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Remembr's services for this app (the composition root). */
    remembr: Remembr;
    /** The store: the route-level equivalent of the guide's `get_redis()` dependency. */
    redis: Store;
  }
  interface FastifyRequest {
    /** The store, for a handler that needs it directly (`get_redis()` of the guide). */
    redis: Store;
  }
}

export interface AppOptions {
  config: Config;
  logger?: Logger;
  /** Serve this Remembr instead of making one; the caller then closes it. */
  remembr?: Remembr;
}

export { VERSION };

const INCOMING_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function trustHops(hops: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < hops;
}

/**
 * Builds the HTTP service without starting it (tests use `inject`, main.ts calls `listen`). Ready opens the store
 * (unless one is given), close closes it.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config } = options;
  const logger = options.logger ?? silentLogger;
  const production = config.environment === 'production';
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: config.bodyLimitBytes,
    // Off unless TRUST_PROXY says which proxies to believe: request.ip (rate limits when open, the failed-auth
    // limit) is then the client's address from X-Forwarded-For instead of the proxy's.
    // A hop count as the function Fastify makes of one (its types take only the function): trust the nearest N.
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    // Ids in paths may be up to 128 characters (assertId); Fastify would answer 414 past 100 before our schema
    // could say which parameter is wrong.
    // A trailing slash reaches the same route (`GET /sessions/` lists sessions, instead of reading an empty id).
    routerOptions: { maxParamLength: 256, ignoreTrailingSlash: true },
    // Requests Node refuses before Fastify sees them (431, a method HTTP does not have) get the envelope too.
    clientErrorHandler,
    // Errors the router raises before any route runs (a malformed URL, an over-long parameter) get the same envelope.
    frameworkErrors: (err, request, reply) => sendError(request, reply, err, production),
    // Reuse a caller's request id when it is a plain token, so one id follows a call across services.
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && INCOMING_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    requestIdHeader: false,
    // One line per request is written on response (below), with the route template instead of the raw URL.
    logController: new LogController({ disableRequestLogging: true }),
    // A request's own logger binds its reqId, which pino serializes for every request: work for nothing while the
    // logger writes nothing (level silent), so requests then share it. Any level that writes gets the usual child;
    // the level is read per request, so raising it later takes effect at the next one.
    // Silent is pino's one level at Infinity: its levelVal is a field, where `level` maps the value back to a label.
    childLoggerFactory: (logger, bindings, childOptions) =>
      (logger as Logger).levelVal === Infinity && childOptions.level === undefined ? logger : logger.child(bindings, childOptions),
    ajv: {
      // A wrong type is a 400 naming the field, not a silent conversion; every problem is reported at once.
      customOptions: { coerceTypes: false, removeAdditional: false, allErrors: true, useDefaults: true },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const remembr = options.remembr ?? (await createRemembr({ ...config, logger }));
  app.decorate('remembr', remembr);
  app.decorate('redis', remembr.store);
  app.decorateRequest('redis', {
    getter: () => remembr.store,
  });
  // Set by the auth hook on /api/v1 routes; null elsewhere.
  app.decorateRequest('caller', null as unknown as Caller);
  if (!options.remembr) app.addHook('onClose', () => remembr.close());
  // The token encoder is loaded before the first request, not by it: loading its ranks holds the event loop (over a
  // second on a loaded two-core machine), which pushed every answer in flight, and the first append's own, that far
  // past REDIS_COMMAND_TIMEOUT_MS.
  app.addHook('onReady', async () => {
    await loadEncoder(config.tokenEncoding);
    // And a counting worker for long messages, which takes as long again to start (tokens.ts, prestartCounting).
    prestartCounting(config.tokenEncoding);
  });

  // Everything done while serving the request (cache, sessions, memory) logs with its id, and later hooks put the
  // request's deadline and rate-limit charge on the same scope: one AsyncLocalStorage scope per request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    withinRequest(request.id, done);
  });
  remembr.metrics.collectProcessMetrics();
  recordRequests(app, remembr.metrics);
  app.setErrorHandler((err, request, reply) => sendError(request, reply, err, production));
  // A path that exists for other methods is a 405 with Allow, not a 404.
  const methods = methodTable();
  app.addHook('onRoute', methods.onRoute);
  const cors = config.corsOrigins.length > 0;
  app.setNotFoundHandler((request, reply) =>
    sendError(request, reply, notFoundOrNotAllowed(request, methods.allowed(request.url.split('?')[0]!), cors ? ['OPTIONS'] : []), production),
  );
  jsonBodiesOnly(app);
  // Browser apps on the configured origins (CORS_ORIGINS; off by default outside local), preflights answered.
  if (cors) await registerCors(app, config.corsOrigins);

  // Before any route: the shared schemas, and the hook that completes each route's documentation.
  await registerOpenApi(app, { version: VERSION, serveDocs: !production });

  await app.register(healthRoutes, { prefix: '/api/v1', environment: config.environment, version: VERSION });
  const metricsAccess = operatorAccess(config);
  if (metricsAccess === 'elsewhere') {
    logger.info({ port: config.metricsPort, host: config.metricsHost }, '/metrics and /dashboard are served on the metrics listener only');
  } else if (metricsAccess === 'closed') {
    logger.warn('/metrics and /dashboard are off: in production set METRICS_TOKEN or METRICS_PORT to serve them');
  } else {
    await app.register(metricsRoutes, { token: metricsAccess === 'token' ? config.metricsToken : undefined, production });
  }
  if (config.apiKeys.length === 0) {
    logger.warn('No API keys configured (REMEMBR_API_KEYS): the API is open and every caller is the local user');
  }
  const verify = createAuthenticator(config.apiKeys);
  // Running open there is no key to get wrong, so no failure limit either.
  const authFailures = config.apiKeys.length > 0 ? authFailureGuard(remembr) : undefined;
  // Everything under /api/v1 but health needs a verified caller, and counts against its rate limit.
  // One bound for all a request asks of the store (the failed-auth count, the rate-limit check, the operation):
  // each call gets what is left of it, so an answer comes within REDIS_COMMAND_TIMEOUT_MS, not a multiple of it.
  // The deadline starts on the scope the first hook opened for the request, so it costs no scope of its own.
  const oneDeadline: onRequestHookHandler = (_request, _reply, done) => {
    if (startDeadline(config.redisCommandTimeoutMs)) done();
    else withinDeadline(config.redisCommandTimeoutMs, done);
  };
  await app.register(
    async (api) => {
      api.addHook('onRequest', oneDeadline);
      api.addHook('onRequest', authenticate(verify, authFailures?.recordFailure));
      // The rate-limit check travels with the request's own store call (one round trip): see chargeRequests.
      chargeRequests(api, remembr.rateLimiter, { legacy: config.rateLimitLegacyHeaders });
      // Feature routes (each a plugin in ./routes) are registered here.
      await api.register(sessionRoutes);
      await api.register(memoryRoutes);
      await api.register(taskRoutes);
    },
    { prefix: '/api/v1' },
  );
  // MCP's Streamable HTTP endpoint: the same key check, failure limit and rate limit as /api/v1 (keep them in step).
  await app.register(async (mcp) => {
    mcp.addHook('onRequest', oneDeadline);
    mcp.addHook('onRequest', authenticate(verify, authFailures?.recordFailure));
    mcp.addHook('onRequest', limitRequests(remembr.rateLimiter));
    await mcp.register(mcpRoutes);
  });
  return app;
}
