/**
 * `remembr/client`: a typed client for Remembr's HTTP API, for a browser, a worker, an edge runtime or Node.
 *
 * Every request, parameter and answer type comes from `./openapi.ts`, which openapi-typescript generates from the
 * document the service serves (a CI test fails when they drift). The requests themselves go through openapi-fetch
 * (6 kB, no dependency but its own type helpers, fetch only): it already turns those `paths` types into typed
 * calls, path and query serialisation included, which a hand-written wrapper would only repeat. What it does not
 * do is what this file adds: thrown errors typed by the envelope's `code`, and retries that honour `Retry-After`
 * and carry one Idempotency-Key per logical write. Nothing here is Node's: `fetch`, `crypto.randomUUID` and
 * `setTimeout` are the platform's (test/integrations/boundaries.test.ts type-checks this folder without Node's types).
 */
import createFetchClient, { type Client as FetchClient } from 'openapi-fetch';
import { apiErrorOf, RemembrConnectionError } from './errors.js';
import type { components, operations, paths } from './openapi.js';
import { delayBeforeRetry, parseRetryAfter, retryableStatus, RETRY_DEFAULTS, sleep, type RetryKind, type RetryOptions } from './retry.js';

export { RemembrApiError, RemembrConnectionError, type ErrorCode, type ErrorDetail, type ErrorEnvelope } from './errors.js';
export type { RetryEvent, RetryOptions } from './retry.js';
export type { components, operations, paths };

/** The API's named schemas: `Schemas['Session']`, `Schemas['Message']`, `Schemas['AppendMessage']`… */
export type Schemas = components['schemas'];
type Query<Op extends keyof operations> = NonNullable<operations[Op]['parameters']['query']>;

/**
 * A window answer with its `messages` typed by the `format` asked for: the schema can only say "either", but the
 * caller knows which. A format that is itself a union (unknown until run time) keeps both.
 */
type InFormat<Answer extends { messages: unknown }, Q> = Omit<Answer, 'messages'> & {
  messages: Q extends { format: 'openai' }
    ? Schemas['OpenAIMessage'][]
    : Q extends { format?: 'neutral' | undefined }
      ? Schemas['Message'][]
      : Schemas['Message'][] | Schemas['OpenAIMessage'][];
};

export interface RemembrClientOptions {
  /** Where the service is, e.g. `http://127.0.0.1:8000` (the routes add `/api/v1`). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <key>`; leave it out for a service that runs open. */
  apiKey?: string;
  /** Retry policy of every call (a call's own `retry` overrides it field by field). */
  retry?: RetryOptions;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** The fetch to use: the platform's by default. */
  fetch?: (request: Request) => Promise<Response>;
}

export interface CallOptions {
  /** Aborts the request and any wait before a retry. */
  signal?: AbortSignal;
  /** Headers of this call only (an `X-Request-ID` of your own, say). */
  headers?: Record<string, string>;
  /** This call's retry policy, over the client's. */
  retry?: RetryOptions;
}

export interface WriteOptions extends CallOptions {
  /**
   * The Idempotency-Key of this one logical write, sent with every attempt. Left out, one is made with
   * `crypto.randomUUID()` for the call. Pass the `idempotencyKey` of an error to repeat a write whose outcome was
   * unknown: the service answers the first outcome and applies the write at most once.
   */
  idempotencyKey?: string;
}

/** What openapi-fetch resolves with: the parsed success body, or the parsed error body, and the response. */
type Answer<T> = { data?: T; error?: unknown; response: Response };
type Attempt = { headers: Record<string, string>; signal: AbortSignal | undefined };

function policyOf(...layers: Array<RetryOptions | undefined>): typeof RETRY_DEFAULTS & Pick<RetryOptions, 'onRetry'> {
  const policy: typeof RETRY_DEFAULTS & Pick<RetryOptions, 'onRetry'> = { ...RETRY_DEFAULTS };
  for (const layer of layers) {
    for (const [name, value] of Object.entries(layer ?? {})) if (value !== undefined) Object.assign(policy, { [name]: value });
  }
  return policy;
}

export class RemembrClient {
  /**
   * The openapi-fetch client underneath, typed by the same `paths`, for anything the methods below do not cover:
   * it resolves with `{ data, error, response }` and neither throws nor retries.
   */
  readonly raw: FetchClient<paths>;
  readonly #retry: RetryOptions | undefined;

  constructor(options: RemembrClientOptions) {
    this.raw = createFetchClient<paths>({
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      headers: { ...options.headers, ...(options.apiKey === undefined ? {} : { authorization: `Bearer ${options.apiKey}` }) },
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    this.#retry = options.retry;
  }

  /** `GET /health`: the service and its store. */
  health(options?: CallOptions) {
    return this.#read(options, (init) => this.raw.GET('/api/v1/health', init));
  }

  /** `GET /health/live`. */
  live(options?: CallOptions) {
    return this.#read(options, (init) => this.raw.GET('/api/v1/health/live', init));
  }

  /** `GET /health/ready`: `{status: 'not_ready'}` (a 503) is an answer here, not an error, and is not retried. */
  async ready(options?: CallOptions): Promise<Schemas['Readiness']> {
    const answer = await this.raw.GET('/api/v1/health/ready', { headers: options?.headers, signal: options?.signal });
    if (answer.data) return answer.data;
    if (answer.response.status === 503 && (answer.error as Partial<Schemas['Readiness']> | undefined)?.status === 'not_ready') return answer.error as Schemas['Readiness'];
    throw apiErrorOf(answer.response, answer.error, { attempts: 1, idempotencyKey: undefined, retryAfterSeconds: parseRetryAfter(answer.response.headers.get('retry-after')) });
  }

  readonly sessions = {
    create: (body: Schemas['CreateSession'], options?: WriteOptions) =>
      this.#keyedWrite(options, (init, key) => this.raw.POST('/api/v1/sessions', { ...init, params: { header: { 'idempotency-key': key } }, body })),
    list: (options?: CallOptions) => this.#read(options, (init) => this.raw.GET('/api/v1/sessions', init)),
    get: (sessionId: string, options?: CallOptions) =>
      this.#read(options, (init) => this.raw.GET('/api/v1/sessions/{session_id}', { ...init, params: { path: { session_id: sessionId } } })),
    /** `PATCH /sessions/{id}`: a JSON Merge Patch of the metadata (a member set to null is removed). */
    update: (sessionId: string, patch: Schemas['SessionPatch'], options?: WriteOptions) =>
      this.#keyedWrite(options, (init, key) =>
        this.raw.PATCH('/api/v1/sessions/{session_id}', { ...init, params: { path: { session_id: sessionId }, header: { 'idempotency-key': key } }, body: patch }),
      ),
    /** Not retried: the document gives it no Idempotency-Key (repeating it sets the full TTL again). */
    refresh: (sessionId: string, options?: CallOptions) =>
      this.#write(options, (init) => this.raw.POST('/api/v1/sessions/{session_id}/refresh', { ...init, params: { path: { session_id: sessionId } } })),
    delete: async (sessionId: string, options?: WriteOptions): Promise<void> => {
      await this.#keyedWrite(options, (init, key) =>
        this.raw.DELETE('/api/v1/sessions/{session_id}', { ...init, params: { path: { session_id: sessionId }, header: { 'idempotency-key': key } } }),
      );
    },
    /** Deletes every session of the caller. Not retried (no Idempotency-Key). */
    deleteAll: (options?: CallOptions) => this.#write(options, (init) => this.raw.DELETE('/api/v1/sessions', init)),
  };

  readonly messages = {
    append: (sessionId: string, message: Schemas['AppendMessage'], options?: WriteOptions) =>
      this.#keyedWrite(options, (init, key) =>
        this.raw.POST('/api/v1/sessions/{session_id}/messages', {
          ...init,
          params: { path: { session_id: sessionId }, header: { 'idempotency-key': key } },
          body: message,
        }),
      ),
    /** Several messages in order, all or nothing (an assistant message with its tool results). */
    appendTurn: (sessionId: string, messages: Schemas['AppendTurn']['messages'], options?: WriteOptions) =>
      this.#keyedWrite(options, (init, key) =>
        this.raw.POST('/api/v1/sessions/{session_id}/turns', {
          ...init,
          params: { path: { session_id: sessionId }, header: { 'idempotency-key': key } },
          body: { messages },
        }),
      ),
    /** The window; its messages are `Message`s, or `OpenAIMessage`s with `{ format: 'openai' }`. */
    list: <Q extends Query<'getMessages'> = { format?: undefined }>(sessionId: string, query?: Q, options?: CallOptions) =>
      this.#read(options, (init) => this.raw.GET('/api/v1/sessions/{session_id}/messages', { ...init, params: { path: { session_id: sessionId }, query } })) as Promise<
        InFormat<Schemas['MessageWindow'], Q>
      >,
    /** What to send a model: system messages, the running summary, the recent turns. */
    context: <Q extends Query<'getContext'> = { format?: undefined }>(sessionId: string, query?: Q, options?: CallOptions) =>
      this.#read(options, (init) => this.raw.GET('/api/v1/sessions/{session_id}/context', { ...init, params: { path: { session_id: sessionId }, query } })) as Promise<
        InFormat<Schemas['Context'], Q>
      >,
    /** Not retried (no Idempotency-Key). */
    clear: (sessionId: string, options?: CallOptions) =>
      this.#write(options, (init) => this.raw.DELETE('/api/v1/sessions/{session_id}/messages', { ...init, params: { path: { session_id: sessionId } } })),
    /** Not retried (no Idempotency-Key). */
    delete: (sessionId: string, messageId: string, options?: CallOptions) =>
      this.#write(options, (init) =>
        this.raw.DELETE('/api/v1/sessions/{session_id}/messages/{message_id}', { ...init, params: { path: { session_id: sessionId, message_id: messageId } } }),
      ),
    /** The running summary and the evicted messages it does not cover yet. */
    evicted: (sessionId: string, options?: CallOptions) =>
      this.#read(options, (init) => this.raw.GET('/api/v1/sessions/{session_id}/evicted', { ...init, params: { path: { session_id: sessionId } } })),
    /** Retried with one key, so a commit whose answer was lost answers as it did, not with a 409. */
    commitSummary: (sessionId: string, body: Schemas['CommitSummary'], options?: WriteOptions) =>
      this.#keyedWrite(options, (init, key) =>
        this.raw.POST('/api/v1/sessions/{session_id}/summary', { ...init, params: { path: { session_id: sessionId }, header: { 'idempotency-key': key } }, body }),
      ),
  };

  readonly checkpoints = {
    create: (sessionId: string, options?: WriteOptions) =>
      this.#keyedWrite(options, (init, key) =>
        this.raw.POST('/api/v1/sessions/{session_id}/checkpoints', { ...init, params: { path: { session_id: sessionId }, header: { 'idempotency-key': key } } }),
      ),
    list: (sessionId: string, options?: CallOptions) =>
      this.#read(options, (init) => this.raw.GET('/api/v1/sessions/{session_id}/checkpoints', { ...init, params: { path: { session_id: sessionId } } })),
    /** Replaces the window with the checkpoint, in one step. */
    restore: (sessionId: string, checkpointId: string, options?: WriteOptions) =>
      this.#keyedWrite(options, (init, key) =>
        this.raw.POST('/api/v1/sessions/{session_id}/restore', {
          ...init,
          params: { path: { session_id: sessionId }, header: { 'idempotency-key': key } },
          body: { checkpoint_id: checkpointId },
        }),
      ),
  };

  readonly tasks = {
    put: (taskId: string, body: Schemas['PutTaskResult'], options?: WriteOptions) =>
      this.#keyedWrite(options, (init, key) =>
        this.raw.PUT('/api/v1/tasks/{task_id}/result', { ...init, params: { path: { task_id: taskId }, header: { 'idempotency-key': key } }, body }),
      ),
    peek: (taskId: string, options?: CallOptions) =>
      this.#read(options, (init) => this.raw.GET('/api/v1/tasks/{task_id}/result', { ...init, params: { path: { task_id: taskId } } })),
    /** Claims the result: of concurrent claimers one receives it. Retried with one key, so a lost answer is not a lost result. */
    take: (taskId: string, options?: WriteOptions) =>
      this.#keyedWrite(options, (init, key) =>
        this.raw.DELETE('/api/v1/tasks/{task_id}/result', { ...init, params: { path: { task_id: taskId }, header: { 'idempotency-key': key } } }),
      ),
  };

  #read<T>(options: CallOptions | undefined, send: (init: Attempt) => Promise<Answer<T>>): Promise<T> {
    return this.#call('read', options, undefined, send);
  }

  #write<T>(options: CallOptions | undefined, send: (init: Attempt) => Promise<Answer<T>>): Promise<T> {
    return this.#call('write', options, undefined, send);
  }

  #keyedWrite<T>(options: WriteOptions | undefined, send: (init: Attempt, idempotencyKey: string) => Promise<Answer<T>>): Promise<T> {
    // One key per logical call, made before the first attempt and sent with every retry of it.
    const idempotencyKey = options?.idempotencyKey ?? globalThis.crypto.randomUUID();
    return this.#call('keyed-write', options, idempotencyKey, (init) => send(init, idempotencyKey));
  }

  async #call<T>(kind: RetryKind, options: CallOptions | undefined, idempotencyKey: string | undefined, send: (init: Attempt) => Promise<Answer<T>>): Promise<T> {
    const policy = policyOf(this.#retry, options?.retry);
    const signal = options?.signal;
    const init: Attempt = { headers: { ...options?.headers }, signal };
    for (let attempt = 1; ; attempt++) {
      let answer: Answer<T>;
      try {
        answer = await send(init);
      } catch (err) {
        // fetch rejects with a TypeError when there was no answer at all; anything else (an abort) is the caller's.
        if (!(err instanceof TypeError) || signal?.aborted) throw err;
        const delay = kind !== 'write' && attempt < policy.maxAttempts ? delayBeforeRetry(policy, attempt, undefined) : undefined;
        if (delay === undefined) {
          throw new RemembrConnectionError(`No answer from the service (${err.message})${kind === 'read' ? '' : '; the write may or may not have been applied'}`, {
            cause: err,
            attempts: attempt,
            idempotencyKey,
          });
        }
        policy.onRetry?.({ attempt, status: undefined, retryAfterSeconds: undefined, delayMs: delay, idempotencyKey });
        await sleep(delay, signal);
        continue;
      }
      const { response } = answer;
      if (response.ok) return answer.data as T;
      const retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after'));
      const delay = retryableStatus(kind, response.status) && attempt < policy.maxAttempts ? delayBeforeRetry(policy, attempt, retryAfterSeconds) : undefined;
      if (delay === undefined) throw apiErrorOf(response, answer.error, { attempts: attempt, idempotencyKey, retryAfterSeconds });
      policy.onRetry?.({ attempt, status: response.status, retryAfterSeconds, delayMs: delay, idempotencyKey });
      await sleep(delay, signal);
    }
  }
}

/** A client for the service at `options.baseUrl`. */
export function createRemembrClient(options: RemembrClientOptions): RemembrClient {
  return new RemembrClient(options);
}
