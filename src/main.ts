import { ConfigError, createLogger, describeStore, loadConfig } from './index.js';
import { buildApp, buildMetricsApp } from './http/index.js';

/** The service's entry point: the only place that reads process.env. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel });
  if (!config.redisUrl && !config.redisSentinels) logger.warn('REDIS_URL is not set: using the embedded in-memory store (data lives in this process only)');
  const app = await buildApp({ config, logger });
  // /metrics and the dashboard on a port of their own, when asked (closed before the app, which owns the store).
  const metricsApp = config.metricsPort === undefined ? undefined : await buildMetricsApp({ remembr: app.remembr, config, logger });
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'Shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await metricsApp?.close();
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  await app.listen({ port: config.port, host: config.host });
  if (metricsApp) {
    await metricsApp.listen({ port: config.metricsPort, host: config.metricsHost });
    logger.info({ port: config.metricsPort, host: config.metricsHost }, 'Metrics listener is serving /metrics and /dashboard');
  }
  logger.info({ store: describeStore(config), environment: config.environment }, 'Remembr is serving');
}

main().catch((err: unknown) => {
  process.stderr.write(`Remembr failed to start: ${(err as Error)?.message ?? String(err)}\n`);
  process.exit(1);
});
