/** remembr/http — the Fastify service over the library. */
export { buildApp, VERSION } from './app.js';
export type { AppOptions } from './app.js';
export { buildMetricsApp } from './metrics-app.js';
export { HttpError, mapError } from './errors.js';
export type { ErrorBody, ErrorCode } from './errors.js';
