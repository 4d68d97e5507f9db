import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { CapacityError, ConflictError, NotInitializedError, StoreUnavailableError, ValidationError } from '../index.js';

/** Every error the service answers with has this one shape. */
export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    details?: unknown;
    request_id: string;
  };
}

export type ErrorCode =
  | 'VALIDATION_ERROR'
  | 'UNAUTHORIZED'
  | 'NOT_FOUND'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'CAPACITY_EXCEEDED'
  | 'CONFLICT'
  | 'RATE_LIMIT_EXCEEDED'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_ERROR';

/** An error a route throws on purpose, with the status and code it should answer. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
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
  details?: unknown;
  headers?: Record<string, string>;
}

/** Maps whatever was thrown to a status, a code and a message that is safe to show the caller. */
export function mapError(err: unknown, production: boolean): Mapped {
  if (err instanceof HttpError) {
    return { status: err.statusCode, code: err.code, message: err.message, details: err.details, headers: err.headers };
  }
  const fastifyError = err as FastifyError & { validationContext?: string };
  if (fastifyError?.validation) {
    const details = fastifyError.validation.map((issue) => {
      const missing = (issue.params as { missingProperty?: string })?.missingProperty;
      const extra = (issue.params as { additionalProperty?: string })?.additionalProperty;
      const path = `${issue.instancePath.replace(/^\//, '').replace(/\//g, '.')}${missing ? (issue.instancePath ? '.' : '') + missing : ''}${extra ? (issue.instancePath ? '.' : '') + extra : ''}`;
      return {
        location: fastifyError.validationContext ?? 'body',
        field: path || fastifyError.validationContext || 'body',
        message: extra ? 'is not an accepted field' : issue.message ?? 'is invalid',
      };
    });
    const message = details.map((d) => `${d.location}${d.field && d.field !== d.location ? `.${d.field}` : ''} ${d.message}`).join('; ');
    return { status: 400, code: 'VALIDATION_ERROR', message, details };
  }
  if (err instanceof ValidationError) {
    return { status: 400, code: 'VALIDATION_ERROR', message: err.message, details: err.field ? [{ field: err.field, message: err.message }] : undefined };
  }
  if (err instanceof CapacityError) {
    return { status: 422, code: 'CAPACITY_EXCEEDED', message: err.message, details: err.field ? [{ field: err.field }] : undefined };
  }
  if (err instanceof ConflictError) {
    return { status: 409, code: 'CONFLICT', message: err.message, details: err.field ? [{ field: err.field }] : undefined };
  }
  if (err instanceof StoreUnavailableError || err instanceof NotInitializedError) {
    return { status: 503, code: 'SERVICE_UNAVAILABLE', message: 'The store is unavailable; nothing was changed. Retry shortly.', headers: { 'retry-after': '1' } };
  }
  switch (fastifyError?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'Request body is larger than the service accepts' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the body as application/json' };
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
  const mapped = mapError(err, production);
  if (mapped.status >= 500 && mapped.code === 'INTERNAL_ERROR') {
    request.log.error({ err }, 'Unhandled error');
  } else if (mapped.status === 503) {
    request.log.warn({ err: (err as Error).message }, 'Store unavailable');
  }
  const body: ErrorBody = {
    error: { code: mapped.code, message: mapped.message, request_id: String(request.id) },
  };
  if (mapped.details !== undefined) body.error.details = mapped.details;
  return reply.code(mapped.status).headers(mapped.headers ?? {}).send(body);
}
