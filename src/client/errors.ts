import type { components } from './openapi.js';

/** The envelope every failure of the service has: `{"error": {code, message, details?, request_id}}`. */
export type ErrorEnvelope = components['schemas']['Error'];
/** The envelope's `code`, as the OpenAPI document lists them: branch on it (`err.code === 'NOT_FOUND'`). */
export type ErrorCode = ErrorEnvelope['error']['code'];
/** One thing wrong with a request (400 and 422). */
export type ErrorDetail = components['schemas']['ErrorDetail'];

/** What the service answered with a status of 400 or more, as a thrown error. */
export class RemembrApiError extends Error {
  override readonly name = 'RemembrApiError';
  /** The HTTP status: 404, 429, 503… */
  readonly status: number;
  /** The envelope's code; for an answer without the envelope (a proxy's 502 page), the code its status stands for. */
  readonly code: ErrorCode;
  /** Each problem with the request (400 and 422); empty otherwise. */
  readonly details: readonly ErrorDetail[];
  /** The request's id (the envelope's `request_id`, or else the `X-Request-ID` header): quote it in a report. */
  readonly requestId: string | undefined;
  /** `Retry-After` in whole seconds, when the answer had one (429, 503, 504). */
  readonly retryAfterSeconds: number | undefined;
  /** How many requests this call made, retries included. */
  readonly attempts: number;
  /**
   * The Idempotency-Key every attempt of this write carried. After an `OUTCOME_UNKNOWN` that retries did not
   * settle, repeat the call with `{ idempotencyKey }` set to it: the service answers the first outcome and never
   * applies the write twice.
   */
  readonly idempotencyKey: string | undefined;

  constructor(fields: {
    status: number;
    code: ErrorCode;
    message: string;
    details?: readonly ErrorDetail[] | undefined;
    requestId?: string | undefined;
    retryAfterSeconds?: number | undefined;
    attempts: number;
    idempotencyKey?: string | undefined;
  }) {
    super(fields.message);
    this.status = fields.status;
    this.code = fields.code;
    this.details = fields.details ?? [];
    this.requestId = fields.requestId;
    this.retryAfterSeconds = fields.retryAfterSeconds;
    this.attempts = fields.attempts;
    this.idempotencyKey = fields.idempotencyKey;
  }
}

/**
 * No answer at all (connection refused, reset, DNS). For a write the outcome is unknown: repeat it with the same
 * `idempotencyKey` (this error carries it) and the service applies it at most once.
 */
export class RemembrConnectionError extends Error {
  override readonly name = 'RemembrConnectionError';
  readonly attempts: number;
  readonly idempotencyKey: string | undefined;

  constructor(message: string, fields: { cause: unknown; attempts: number; idempotencyKey?: string | undefined }) {
    super(message, { cause: fields.cause });
    this.attempts = fields.attempts;
    this.idempotencyKey = fields.idempotencyKey;
  }
}

/**
 * The code an answer without the envelope stands for. The service always sends the envelope; a proxy or load
 * balancer in front of it may not (a 502 page, a 504 after its own timeout, which means what OUTCOME_UNKNOWN means).
 */
const CODE_OF_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: 'VALIDATION_ERROR',
  401: 'UNAUTHORIZED',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  408: 'REQUEST_TIMEOUT',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMIT_EXCEEDED',
  431: 'HEADERS_TOO_LARGE',
  502: 'SERVICE_UNAVAILABLE',
  503: 'SERVICE_UNAVAILABLE',
  504: 'OUTCOME_UNKNOWN',
};

function isEnvelope(body: unknown): body is ErrorEnvelope {
  if (typeof body !== 'object' || body === null) return false;
  const error = (body as { error?: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string' && typeof (error as { message?: unknown }).message === 'string';
}

/** The thrown form of a failed answer: its body as openapi-fetch parsed it (JSON, or the text when not JSON). */
export function apiErrorOf(response: Response, body: unknown, call: { attempts: number; idempotencyKey: string | undefined; retryAfterSeconds: number | undefined }): RemembrApiError {
  const headerId = response.headers.get('x-request-id') ?? undefined;
  if (isEnvelope(body)) {
    const { code, message, details, request_id } = body.error;
    return new RemembrApiError({ status: response.status, code, message, details, requestId: request_id ?? headerId, ...call });
  }
  const text = typeof body === 'string' ? body.slice(0, 200) : '';
  return new RemembrApiError({
    status: response.status,
    code: CODE_OF_STATUS[response.status] ?? (response.status >= 500 ? 'INTERNAL_ERROR' : 'VALIDATION_ERROR'),
    message: `HTTP ${response.status} without Remembr's error envelope${text ? `: ${text}` : ''}`,
    requestId: headerId,
    ...call,
  });
}
