import type { FastifyPluginAsync } from 'fastify';

/** GET /metrics: Prometheus text — cache hit/miss, store errors, degraded decisions, HTTP latency, memory. */
export const metricsRoutes: FastifyPluginAsync = async (app) => {
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    const memory = process.memoryUsage();
    reply.type('text/plain; version=0.0.4');
    return app.remembr.metrics.render([
      { name: 'remembr_process_rss_bytes', help: 'Resident memory of the process', value: memory.rss },
      { name: 'remembr_process_heap_used_bytes', help: 'V8 heap in use', value: memory.heapUsed },
    ]);
  });
};
