import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ID_PATTERN, ID_RULE } from './id-rule.js';
import { BusyError, CapacityError, ConflictError, IdempotencyKeyReusedError, NotInitializedError, OutcomeUnknownError, StoreError, ValidationError } from '../index.js';

/** Every code an error body can carry (the OpenAPI document's enum and the typed client's union come from here). */
export const ERROR_CODES = [
  'VALIDATION_ERROR',
  'UNAUTHORIZED',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'CAPACITY_EXCEEDED',
  'CONFLICT',
  'IDEMPOTENCY_KEY_REUSED',
  'HEADERS_TOO_LARGE',
  'REQUEST_TIMEOUT',
  'RATE_LIMIT_EXCEEDED',
  'SERVICE_UNAVAILABLE',
  'OUTCOME_UNKNOWN',
  'INTERNAL_ERROR',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** One thing wrong with a request: the same shape wherever `details` appears. */
export interface ErrorDetail {
  /** A field (`content`, `metadata.channel`), a parameter, a header, or `body`. */
  field: string;
  /** What is wrong with it and what is allowed. */
  message: string;
  location?: 'body' | 'params' | 'querystring' | 'headers';
  /** The values the field accepts, when they are few. */
  allowed?: string[];
}

/** Every error the service answers with has this one shape. */
export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    details?: ErrorDetail[];
    request_id: string;
  };
}

/** An error a route throws on purpose, with the status and code it should answer. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    /** Headers to send with the error (Retry-After, WWW-Authenticate). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new HttpError(404, 'NOT_FOUND', `${what} not found`);

interface Mapped {
  status: number;
  code: ErrorCode;
  message: string;
  details?: ErrorDetail[];
  headers?: Record<string, string>;
}

const LOCATIONS = ['body', 'params', 'querystring', 'headers'] as const;

/** Methods that change nothing a retry could repeat (a read may refresh a TTL, which is harmless twice). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Maps whatever was thrown to a status, a code and a message that is safe to show the caller. `method` tells a
 * write, whose unknown outcome is a 504, from a read, for which "unknown" only means "no answer": a 503.
 */
export function mapError(err: unknown, production: boolean, method = 'POST', contentType?: string): Mapped {
  if (err instanceof HttpError) {
    return { status: err.statusCode, code: err.code, message: err.message, details: err.details, headers: err.headers };
  }
  const fastifyError = err as FastifyError & { validationContext?: string };
  if (fastifyError?.validation) {
    const location = (LOCATIONS.find((l) => l === fastifyError.validationContext) ?? 'body') satisfies ErrorDetail['location'];
    const details = fastifyError.validation.map((issue): ErrorDetail => {
      const params = issue.params as { missingProperty?: string; additionalProperty?: string; allowedValues?: unknown[]; pattern?: string; type?: string };
      const missing = params?.missingProperty;
      const extra = params?.additionalProperty;
      const path = `${issue.instancePath.replace(/^\//, '').replace(/\//g, '.')}${missing ? (issue.instancePath ? '.' : '') + missing : ''}${extra ? (issue.instancePath ? '.' : '') + extra : ''}`;
      const detail: ErrorDetail = { field: path || location, message: issue.message ?? 'is invalid', location };
      if (extra) detail.message = `is not an accepted field`;
      else if (issue.keyword === 'enum' && Array.isArray(params.allowedValues)) {
        detail.allowed = params.allowedValues.map(String);
        detail.message = `must be one of ${detail.allowed.join(', ')}`;
      } else if (issue.keyword === 'pattern' && params.pattern === ID_PATTERN) detail.message = `must be ${ID_RULE}`;
      else if (issue.keyword === 'type' && path === '' && location === 'body') detail.message = 'must be a JSON object, sent as Content-Type: application/json';
      return detail;
    });
    const message = details.map((d) => `${d.location}${d.field && d.field !== d.location ? `.${d.field}` : ''} ${d.message}`).join('; ');
    return { status: 400, code: 'VALIDATION_ERROR', message, details };
  }
  if (err instanceof ValidationError) {
    return { status: 400, code: 'VALIDATION_ERROR', message: err.message, details: err.field ? [{ field: err.field, message: err.message }] : undefined };
  }
  if (err instanceof IdempotencyKeyReusedError) {
    return { status: 422, code: 'IDEMPOTENCY_KEY_REUSED', message: err.message, details: [{ field: 'Idempotency-Key', message: 'already used for a different request' }] };
  }
  if (err instanceof CapacityError) {
    return { status: 422, code: 'CAPACITY_EXCEEDED', message: err.message, details: err.field ? [{ field: err.field, message: err.message }] : undefined };
  }
  if (err instanceof ConflictError) {
    return { status: 409, code: 'CONFLICT', message: err.message, details: err.field ? [{ field: err.field, message: err.message }] : undefined };
  }
  if (err instanceof OutcomeUnknownError && !SAFE_METHODS.has(method.toUpperCase())) {
    // 504, as a gateway answers when its upstream did not answer in time: a 504 from a proxy in front of the
    // service means the same thing (the request may have been carried out), and calls for the same retry.
    return {
      status: 504,
      code: 'OUTCOME_UNKNOWN',
      message:
        'The store did not answer in time, so this request may or may not have been carried out. Retry it with the same Idempotency-Key header: ' +
        'the retry answers with the first outcome and never applies it twice. Without a key, check the state before repeating it.',
      headers: { 'retry-after': '1' },
    };
  }
  if (err instanceof OutcomeUnknownError) {
    return { status: 503, code: 'SERVICE_UNAVAILABLE', message: 'The store did not answer in time. Retry shortly: a read is safe to repeat.', headers: { 'retry-after': '1' } };
  }
  if (err instanceof BusyError) {
    return { status: 503, code: 'SERVICE_UNAVAILABLE', message: `${err.message}; nothing was changed. Retry shortly.`, headers: { 'retry-after': '1' } };
  }
  if (err instanceof StoreError || err instanceof NotInitializedError) {
    return { status: 503, code: 'SERVICE_UNAVAILABLE', message: 'The store is unavailable and the request was not carried out; nothing was changed. Retry shortly.', headers: { 'retry-after': '1' } };
  }
  switch (fastifyError?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'Request body is larger than the service accepts' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return {
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: `Send the body as Content-Type: application/json${contentType ? ` (got ${contentType.split(';')[0]!.trim().slice(0, 100)})` : ''}`,
      };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, code: 'VALIDATION_ERROR', message: 'Body is empty but Content-Type is application/json' };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return { status: 400, code: 'VALIDATION_ERROR', message: 'Body is not valid JSON' };
  }
  if (fastifyError instanceof SyntaxError || fastifyError?.statusCode === 400) {
    return { status: 400, code: 'VALIDATION_ERROR', message: production ? 'Bad request' : fastifyError.message };
  }
  if (typeof fastifyError?.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return { status: fastifyError.statusCode, code: 'VALIDATION_ERROR', message: fastifyError.message };
  }
  return { status: 500, code: 'INTERNAL_ERROR', message: 'Internal error; it has been logged with the request id' };
}

export function sendError(request: FastifyRequest, reply: FastifyReply, err: unknown, production: boolean): FastifyReply {
  const contentType = request.headers['content-type'];
  const mapped = mapError(err, production, request.method, typeof contentType === 'string' ? contentType : undefined);
  if (mapped.status >= 500 && mapped.code === 'INTERNAL_ERROR') {
    request.log.error({ err }, 'Unhandled error');
  } else if (mapped.code === 'OUTCOME_UNKNOWN') {
    request.log.warn({ err: (err as Error).message }, 'Store outcome unknown');
  } else if (mapped.status === 503) {
    request.log.warn({ err: (err as Error).message }, 'Store unavailable');
  }
  const body: ErrorBody = {
    error: { code: mapped.code, message: mapped.message, request_id: String(request.id) },
  };
  if (mapped.details !== undefined) body.error.details = mapped.details;
  return reply.code(mapped.status).headers(mapped.headers ?? {}).send(body);
}
