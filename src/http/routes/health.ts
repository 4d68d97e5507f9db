import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Environment } from '../../index.js';
import { Health, ref } from '../schemas.js';

/** GET /health: always 200 while the process runs; `status` says whether the store can be used. */
export const healthRoutes: FastifyPluginAsyncTypebox<{ environment: Environment; version: string }> = async (app, options) => {
  app.get(
    '/health',
    {
      schema: {
        operationId: 'getHealth',
        summary: 'Whether the service and its store can be used',
        tags: ['health'],
        security: [],
        response: { 200: ref(Health) },
      },
    },
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
};
