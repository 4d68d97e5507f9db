import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { silentLogger, type Config, type Logger, type Remembr } from '../index.js';
import { metricsRoutes } from './routes/metrics.js';

/**
 * The separate metrics listener (METRICS_PORT): /metrics and the dashboard of a Remembr that the API app serves,
 * on a port that can stay private (localhost by default) while the API's is public. Closing it leaves the
 * Remembr open: the API app owns it.
 */
export async function buildMetricsApp(options: { remembr: Remembr; config: Config; logger?: Logger }): Promise<FastifyInstance> {
  const { config, remembr } = options;
  const app = Fastify({ loggerInstance: (options.logger ?? silentLogger) as FastifyBaseLogger, logController: new LogController({ disableRequestLogging: true }) });
  app.decorate('remembr', remembr);
  app.decorate('redis', remembr.store);
  await app.register(metricsRoutes, { token: config.metricsToken, production: config.environment === 'production' });
  return app;
}
