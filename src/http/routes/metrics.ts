import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../index.js';
import { HttpError, sendError } from '../errors.js';

/**
 * How /metrics (and the dashboard) may be reached:
 * - `elsewhere`: on the metrics listener (METRICS_PORT, localhost by default), not on the API's port;
 * - `token`: here, with `Authorization: Bearer <METRICS_TOKEN>`;
 * - `open`: here, to anyone (outside production only);
 * - `closed`: not at all (production without a token or a separate listener).
 */
export type OperatorAccess = 'elsewhere' | 'token' | 'open' | 'closed';

export function operatorAccess(config: Pick<Config, 'environment' | 'metricsPort' | 'metricsToken'>): OperatorAccess {
  if (config.metricsPort !== undefined) return 'elsewhere';
  if (config.metricsToken !== undefined) return 'token';
  return config.environment === 'production' ? 'closed' : 'open';
}

export interface OperatorRouteOptions {
  /** Required as a bearer token when set. */
  token?: string;
  production: boolean;
}

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** An onRequest hook that answers 401 unless the request carries the token (compared in constant time). */
export function requireToken(token: string, production: boolean) {
  const expected = digest(token);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization;
    const presented = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (presented !== undefined && timingSafeEqual(digest(presented), expected)) return;
    return sendError(
      request,
      reply,
      new HttpError(401, 'UNAUTHORIZED', 'This endpoint needs Authorization: Bearer <METRICS_TOKEN>', undefined, { 'www-authenticate': 'Bearer' }),
      production,
    );
  };
}

/** GET /metrics: the Prometheus text exposition of this instance's registry. */
export const metricsRoutes: FastifyPluginAsync<OperatorRouteOptions> = async (app, options) => {
  if (options.token !== undefined) app.addHook('onRequest', requireToken(options.token, options.production));
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    const { metrics } = app.remembr;
    reply.type(metrics.contentType);
    return metrics.exposition();
  });
};
