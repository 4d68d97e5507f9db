import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Environment } from '../../index.js';
import { Health, Liveness, Readiness, ref } from '../schemas.js';

/**
 * GET /health: always 200 while the process runs; `status` says whether the store can be used.
 * GET /health/live: liveness — 200 as long as the process serves requests; it never looks at the store, so an
 * orchestrator does not restart a healthy process because Redis is away (a restart would not bring Redis back).
 * GET /health/ready: readiness — 503 while the store cannot be used, so a load balancer sends traffic elsewhere.
 */
export const healthRoutes: FastifyPluginAsyncTypebox<{ environment: Environment; version: string }> = async (app, options) => {
  const tags = ['health'];
  app.get(
    '/health',
    { schema: { operationId: 'getHealth', summary: 'Whether the service and its store can be used', tags, security: [], response: { 200: ref(Health) } } },
    async () => {
      const redisStatus = await app.remembr.health();
      return {
        status: redisStatus === 'healthy' ? ('ok' as const) : ('degraded' as const),
        environment: options.environment,
        version: options.version,
        redis_status: redisStatus,
        store: app.remembr.store.kind,
      };
    },
  );

  app.get(
    '/health/live',
    { schema: { operationId: 'getLiveness', summary: 'Liveness: the process serves requests', tags, security: [], response: { 200: ref(Liveness) } } },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/health/ready',
    {
      schema: {
        operationId: 'getReadiness',
        summary: 'Readiness: the store can be used',
        tags,
        security: [],
        response: { 200: ref(Readiness), 503: { ...ref(Readiness), description: 'Not ready: the store cannot be used' } },
      },
    },
    async (_request, reply) => {
      const redisStatus = await app.remembr.health();
      const ready = redisStatus === 'healthy';
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', redis_status: redisStatus });
    },
  );
};
