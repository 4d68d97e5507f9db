import { Type, type SchemaOptions, type TLiteral, type TSchema, type TUnion } from '@sinclair/typebox';
import { LONG_TERM_TTL, MESSAGE_ROLES, SHORT_TERM_TTL } from '../index.js';
import { ERROR_CODES } from './errors.js';
import { ID_PATTERN, ID_RULE } from './id-rule.js';

/**
 * The schemas the HTTP API shares: every named one (a `$id`) is registered once with `addSchema` (see
 * `COMPONENT_SCHEMAS`), validates and serializes through Fastify, and appears in the OpenAPI document as
 * `components.schemas.<$id>`. Routes point at them with `ref(...)`, which keeps the static type for the type provider.
 */

/**
 * A `$ref` to a registered schema, typed as that schema: the type provider (on typebox 1.x) infers request and reply
 * types structurally from a TObject, but not from this package's TUnsafe, so the reference wears the schema's type.
 */
export function ref<T extends TSchema>(schema: T): T {
  if (schema.$id === undefined) throw new Error('ref() needs a schema with an $id, registered in COMPONENT_SCHEMAS');
  return { $ref: `${schema.$id}#` } as unknown as T;
}

export const Id = (description: string) => Type.String({ pattern: ID_PATTERN, description: `${description}: ${ID_RULE}` });

export const SessionParams = Type.Object({ session_id: Id('The session') }, { additionalProperties: false });
export const TaskParams = Type.Object({ task_id: Id('The task') }, { additionalProperties: false });

/** For a route without query parameters: an unexpected one is a mistake worth reporting (the one rule for every route). */
export const NoQuery = Type.Object({}, { additionalProperties: false });

/** Any JSON object. Not Type.Record, whose patternProperties OpenAPI 3.0 does not have. */
const JsonObject = (description: string) => Type.Object({}, { additionalProperties: true, description });

/**
 * One of a list of strings, typed as the union of them (TypeBox types a union built with `.map` as one the type
 * provider cannot narrow).
 */
export function oneOf<const T extends readonly string[]>(values: T, options: SchemaOptions = {}) {
  // A plain enum rather than anyOf of one-value enums: what both ajv and OpenAPI generators read best.
  return { ...options, type: 'string', enum: [...values] } as unknown as TUnion<{ -readonly [K in keyof T]: TLiteral<T[K]> }>;
}

// Errors

export const ErrorDetail = Type.Object(
  {
    field: Type.String({ description: 'What was wrong: a field (`content`, `metadata.channel`), a parameter, a header, or `body`' }),
    message: Type.String({ description: 'What is wrong with it and what is allowed' }),
    location: Type.Optional(
      oneOf(['body', 'params', 'querystring', 'headers'], { description: 'Where the field is' }),
    ),
    allowed: Type.Optional(Type.Array(Type.String(), { description: 'The values the field accepts, when they are few' })),
  },
  { $id: 'ErrorDetail', additionalProperties: false, description: 'One thing wrong with the request' },
);

export const ErrorEnvelope = Type.Object(
  {
    error: Type.Object(
      {
        code: oneOf(ERROR_CODES, { description: 'Stable, machine-readable; the HTTP status follows from it' }),
        message: Type.String({ description: 'For people: what went wrong and what to do' }),
        details: Type.Optional(Type.Array(ref(ErrorDetail), { description: 'Each problem with the request (400 and 422 only)' })),
        request_id: Type.String({ description: 'Also in the X-Request-ID header; quote it when reporting a problem' }),
      },
      { additionalProperties: false },
    ),
  },
  { $id: 'Error', additionalProperties: false, description: 'The one shape of every error the service answers' },
);

/** An error a route gives on its own, described for that route: `404: errorResponse('No such session for this user')`. */
export const errorResponse = (description: string): typeof ErrorEnvelope => ({ ...ref(ErrorEnvelope), description }) as typeof ErrorEnvelope;

// Health

export const RedisStatus = oneOf(['healthy', 'unhealthy', 'not_initialized', 'error'], {
  $id: 'RedisStatus',
  description: 'healthy; unhealthy (unreachable); not_initialized; error',
});

export const Health = Type.Object(
  {
    status: oneOf(['ok', 'degraded']),
    environment: Type.String(),
    version: Type.String(),
    redis_status: ref(RedisStatus),
    store: oneOf(['redis', 'memory'], { description: 'What backs the service: a Redis server or the embedded in-memory store' }),
  },
  { $id: 'Health' },
);

export const Liveness = Type.Object({ status: oneOf(['ok']) }, { $id: 'Liveness' });

export const Readiness = Type.Object({ status: oneOf(['ready', 'not_ready']), redis_status: ref(RedisStatus) }, { $id: 'Readiness' });

// Sessions

export const CreateSession = Type.Object(
  {
    agent_id: Id('The agent the session belongs to'),
    metadata: Type.Optional(JsonObject('Any JSON object, at most 16 KiB as JSON')),
  },
  { $id: 'CreateSession', additionalProperties: false },
);

export const Session = Type.Object(
  {
    session_id: Type.String(),
    user_id: Type.String(),
    agent_id: Type.String(),
    metadata: JsonObject('What the session was created with'),
    created_at: Type.String({ format: 'date-time' }),
    expires_in: Type.Integer({ description: 'Seconds until the session expires unless refreshed' }),
  },
  { $id: 'Session' },
);

export const SessionList = Type.Object({ sessions: Type.Array(ref(Session)) }, { $id: 'SessionList' });

export const DeletedSessions = Type.Object({ deleted: Type.Integer({ description: 'Live sessions deleted' }) }, { $id: 'DeletedSessions' });

// Short-term memory

export const MessageRole = oneOf(MESSAGE_ROLES, { $id: 'MessageRole', description: `Who wrote a message: ${MESSAGE_ROLES.join(', ')}` });

export const AppendMessage = Type.Object(
  {
    role: ref(MessageRole),
    content: Type.String({ description: 'The message text, at most MAX_MESSAGE_BYTES (32 KiB) as UTF-8' }),
  },
  { $id: 'AppendMessage', additionalProperties: false },
);

export const Message = Type.Object(
  {
    id: Type.String(),
    role: ref(MessageRole),
    content: Type.String(),
    tokens: Type.Integer({ description: 'Tokens of content in the configured TOKEN_ENCODING (cl100k_base by default)' }),
    created_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'Message' },
);

export const TokenUsage = Type.Object(
  {
    used: Type.Integer({ description: 'Tokens the window holds' }),
    max: Type.Integer({ description: 'The window’s budget (SHORT_TERM_MAX_TOKENS)' }),
    percentage: Type.Number({ description: '`used` as a percentage of `max`' }),
  },
  { $id: 'TokenUsage' },
);

export const AppendedMessage = Type.Object(
  {
    message: ref(Message),
    token_usage: ref(TokenUsage),
    evicted: Type.Array(Type.String(), { description: 'Ids of the messages evicted to make room, oldest first' }),
  },
  { $id: 'AppendedMessage' },
);

export const MessageWindow = Type.Object({ messages: Type.Array(ref(Message)), token_usage: ref(TokenUsage) }, { $id: 'MessageWindow' });

export const Checkpoint = Type.Object(
  { checkpoint_id: Type.String(), created_at: Type.String({ format: 'date-time' }), message_count: Type.Integer() },
  { $id: 'Checkpoint' },
);

export const CheckpointList = Type.Object({ checkpoints: Type.Array(ref(Checkpoint)) }, { $id: 'CheckpointList' });

export const RestoreCheckpoint = Type.Object({ checkpoint_id: Id('The checkpoint') }, { $id: 'RestoreCheckpoint', additionalProperties: false });

export const Restored = Type.Object({ restored_message_count: Type.Integer() }, { $id: 'Restored' });

// Task results

export const PutTaskResult = Type.Object(
  {
    result: Type.Unknown({ description: 'Any JSON value, null, false and 0 included' }),
    ttl_seconds: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: LONG_TERM_TTL,
        description: `How long to keep the result: a whole number of seconds from 1 to ${LONG_TERM_TTL}; ${SHORT_TERM_TTL} when left out`,
      }),
    ),
  },
  { $id: 'PutTaskResult', additionalProperties: false },
);

export const StoredTaskResult = Type.Object(
  { task_id: Type.String(), expires_in: Type.Integer({ description: 'Seconds the result is kept' }) },
  { $id: 'StoredTaskResult' },
);

export const TaskResult = Type.Object({ result: Type.Unknown({ description: 'What was stored, any JSON value' }) }, { $id: 'TaskResult' });

/** Every named schema, registered on the app in this order (a schema after the ones it refers to). */
export const COMPONENT_SCHEMAS: readonly TSchema[] = [
  ErrorDetail,
  ErrorEnvelope,
  RedisStatus,
  Health,
  Liveness,
  Readiness,
  CreateSession,
  Session,
  SessionList,
  DeletedSessions,
  MessageRole,
  AppendMessage,
  Message,
  TokenUsage,
  AppendedMessage,
  MessageWindow,
  Checkpoint,
  CheckpointList,
  RestoreCheckpoint,
  Restored,
  PutTaskResult,
  StoredTaskResult,
  TaskResult,
];
