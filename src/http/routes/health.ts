import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Environment } from '../../index.js';

const RedisStatusSchema = Type.Union([Type.Literal('healthy'), Type.Literal('unhealthy'), Type.Literal('not_initialized'), Type.Literal('error')]);

const HealthBody = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  environment: Type.String(),
  version: Type.String(),
  redis_status: RedisStatusSchema,
  store: Type.Union([Type.Literal('redis'), Type.Literal('memory')], { description: 'What backs the service: a Redis server or the embedded in-memory store' }),
});

const LiveBody = Type.Object({ status: Type.Literal('ok') });

const ReadyBody = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
  redis_status: RedisStatusSchema,
});

/**
 * GET /health: always 200 while the process runs; `status` says whether the store can be used.
 * GET /health/live: liveness — 200 as long as the process serves requests; it never looks at the store, so an
 * orchestrator does not restart a healthy process because Redis is away (a restart would not bring Redis back).
 * GET /health/ready: readiness — 503 while the store cannot be used, so a load balancer sends traffic elsewhere.
 */
export const healthRoutes: FastifyPluginAsyncTypebox<{ environment: Environment; version: string }> = async (app, options) => {
  app.get('/health', { schema: { tags: ['health'], security: [], response: { 200: HealthBody } } }, async () => {
    const redisStatus = await app.remembr.health();
    return {
      status: redisStatus === 'healthy' ? ('ok' as const) : ('degraded' as const),
      environment: options.environment,
      version: options.version,
      redis_status: redisStatus,
      store: app.remembr.store.kind,
    };
  });

  app.get('/health/live', { schema: { tags: ['health'], security: [], response: { 200: LiveBody } } }, async () => ({ status: 'ok' as const }));

  app.get(
    '/health/ready',
    { schema: { tags: ['health'], security: [], response: { 200: ReadyBody, 503: ReadyBody } } },
    async (_request, reply) => {
      const redisStatus = await app.remembr.health();
      const ready = redisStatus === 'healthy';
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', redis_status: redisStatus });
    },
  );
};
