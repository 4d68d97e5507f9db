import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../index.js';
import { HttpError, sendError } from '../errors.js';
import { dashboardRoutes } from '../dashboard/routes.js';

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

/** The token a request presents: a bearer token, or the password of Basic credentials (what a browser sends). */
function presentedToken(header: string | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  if (header.startsWith('Bearer ')) return header.slice(7).trim();
  if (header.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon < 0 ? undefined : decoded.slice(colon + 1);
  }
  return undefined;
}

/**
 * An onRequest hook that answers 401 unless the request carries the token (compared in constant time). Scrapers
 * send it as a bearer token; a browser opening the dashboard is asked for it (any user name, the token as the
 * password) and then sends it with every request the page makes.
 */
export function requireToken(token: string, production: boolean) {
  const expected = digest(token);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const presented = presentedToken(request.headers.authorization);
    if (presented !== undefined && timingSafeEqual(digest(presented), expected)) return;
    const browser = request.url.startsWith('/dashboard');
    return sendError(
      request,
      reply,
      new HttpError(
        401,
        'UNAUTHORIZED',
        browser ? 'The dashboard needs METRICS_TOKEN as the password (any user name)' : 'This endpoint needs Authorization: Bearer <METRICS_TOKEN>',
        undefined,
        { 'www-authenticate': browser ? 'Basic realm="Remembr dashboard", charset="UTF-8"' : 'Bearer' },
      ),
      production,
    );
  };
}

/** GET /metrics, the Prometheus text exposition of this instance's registry, and the dashboard, behind one guard. */
export const metricsRoutes: FastifyPluginAsync<OperatorRouteOptions> = async (app, options) => {
  if (options.token !== undefined) app.addHook('onRequest', requireToken(options.token, options.production));
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    const { metrics } = app.remembr;
    reply.type(metrics.contentType);
    return metrics.exposition();
  });
  await app.register(dashboardRoutes);
};
