import type { FastifyInstance, RouteOptions } from 'fastify';
import type { Logger } from '../observability/logger.js';
import { HTTP_LATENCY_BUCKETS, type Counter, type Metrics, type Observer } from '../observability/metrics.js';

/** Methods named in the series as they are; anything else a client sends is `OTHER`. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Where a route keeps its series, in its config (so the response hook finds them without building a label set). */
const SERIES = Symbol('remembr.httpSeries');

/** One route's series: by method (a route may answer several) and status, each bound on its first answer. */
class RouteSeries {
  readonly #byMethod = new Map<string, Map<number, { count: Counter; latency: Observer }>>();

  constructor(
    readonly route: string,
    readonly families: { requests: ReturnType<Metrics['counterFamily']>; latency: ReturnType<Metrics['histogramFamily']> },
  ) {}

  /** `method` is a label value already (see methodLabel). */
  record(method: string, status: number, seconds: number): void {
    let byStatus = this.#byMethod.get(method);
    if (byStatus === undefined) {
      byStatus = new Map();
      this.#byMethod.set(method, byStatus);
    }
    let series = byStatus.get(status);
    if (series === undefined) {
      const labels = [this.route, method, String(status)];
      series = { count: this.families.requests.labels(...labels), latency: this.families.latency.labels(...labels) };
      byStatus.set(status, series);
    }
    series.count.inc();
    series.latency.observe(seconds);
  }
}

/**
 * Counts and times every answer by route template, method and status, and writes the one log line per request.
 * The label values of a route are made once, when it is registered (an onRoute hook on the root, before any
 * route), not per request. The template (`/api/v1/sessions/:session_id`), never the raw path: ids and junk paths
 * stay out of the series, which stay bounded whatever callers send.
 */
export function recordRequests(app: FastifyInstance, metrics: Metrics): void {
  const families = {
    requests: metrics.counterFamily('remembr_http_requests_total', 'HTTP requests by route template, method and status', ['route', 'method', 'status']),
    latency: metrics.histogramFamily(
      'remembr_http_request_duration_seconds',
      'HTTP request latency by route template, method and status',
      ['route', 'method', 'status'],
      HTTP_LATENCY_BUCKETS,
    ),
  };
  const unmatched = new RouteSeries('unmatched', families);
  app.addHook('onRoute', (route: RouteOptions) => {
    route.config = { ...route.config, [SERIES]: new RouteSeries(route.url, families) } as RouteOptions['config'];
  });
  // A callback hook, not an async one: no promise per request.
  app.addHook('onResponse', (request, reply, done) => {
    const config = request.routeOptions.config as { [SERIES]?: RouteSeries } | undefined;
    const series = config?.[SERIES] ?? unmatched;
    const elapsedMs = reply.elapsedTime;
    const method = METHODS.has(request.method) ? request.method : 'OTHER';
    series.record(method, reply.statusCode, elapsedMs / 1000);
    // The line's fields are built only when it would be written (a silent logger still takes the call). The app's
    // logger is pino's (AppOptions.logger), and so is each request's child.
    if ((request.log as Logger).isLevelEnabled('info')) request.log.info(
      {
        route: series.route,
        method,
        status: reply.statusCode,
        durationMs: Math.round(elapsedMs * 100) / 100,
        userId: request.caller?.userId,
      },
      'request completed',
    );
    done();
  });
}
