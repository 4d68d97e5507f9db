import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Environment } from '../../index.js';

const HealthBody = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  environment: Type.String(),
  version: Type.String(),
  redis_status: Type.Union([Type.Literal('healthy'), Type.Literal('unhealthy'), Type.Literal('not_initialized'), Type.Literal('error')]),
  store: Type.Union([Type.Literal('redis'), Type.Literal('memory')], { description: 'What backs the service: a Redis server or the embedded in-memory store' }),
});

/** GET /health: always 200 while the process runs; `status` says whether the store can be used. */
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
};
