import { Type, type SchemaOptions, type TArray, type TLiteral, type TNull, type TSchema, type TString, type TUnion } from '@sinclair/typebox';
import { CONTENT_PART_TYPES, IMAGE_DETAILS, LONG_TERM_TTL, MAX_METADATA_BYTES, MAX_PATCH_DEPTH, MESSAGE_LIMITS, MESSAGE_ROLES, SHORT_TERM_TTL, TOKEN_ENCODINGS } from '../index.js';
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

export const TokenEncoding = oneOf(TOKEN_ENCODINGS, {
  $id: 'TokenEncoding',
  description:
    'The encoding a session’s window counts tokens in: cl100k_base (GPT-4, GPT-3.5) or o200k_base (GPT-4o, o1 and later). ' +
    'Chosen per session at creation; a session created without one uses TOKEN_ENCODING',
});

export const CreateSession = Type.Object(
  {
    agent_id: Id('The agent the session belongs to'),
    metadata: Type.Optional(JsonObject(`Any JSON object, at most ${MAX_METADATA_BYTES} bytes (16 KiB) as JSON`)),
    token_encoding: Type.Optional(ref(TokenEncoding)),
  },
  { $id: 'CreateSession', additionalProperties: false },
);

export const Session = Type.Object(
  {
    session_id: Type.String(),
    user_id: Type.String(),
    agent_id: Type.String(),
    metadata: JsonObject('The session’s working data: what it was created with, as patched since'),
    token_encoding: ref(TokenEncoding),
    created_at: Type.String({ format: 'date-time' }),
    expires_in: Type.Integer({ description: 'Seconds until the session expires unless refreshed (a new or refreshed session lives SESSION_TTL, an hour by default)' }),
  },
  { $id: 'Session' },
);

export const SessionPatch = Type.Object(
  {
    metadata: Type.Optional(
      JsonObject(
        'A JSON Merge Patch (RFC 7386) of the metadata: a member set to null is removed, an object merges into an object member by member, ' +
          `anything else (an array too) replaces the member. At most ${2 * MAX_METADATA_BYTES} bytes as JSON and ${MAX_PATCH_DEPTH} objects deep; ` +
          `the metadata after the merge must be at most ${MAX_METADATA_BYTES} bytes (16 KiB), or nothing changes (422 CAPACITY_EXCEEDED)`,
      ),
    ),
  },
  {
    $id: 'SessionPatch',
    additionalProperties: false,
    description: 'A JSON Merge Patch (RFC 7386) of the session: metadata is the one member it may change',
  },
);

export const SessionList = Type.Object({ sessions: Type.Array(ref(Session)) }, { $id: 'SessionList' });

export const DeletedSessions = Type.Object({ deleted: Type.Integer({ description: 'Live sessions deleted' }) }, { $id: 'DeletedSessions' });

// Short-term memory

export const MessageRole = oneOf(MESSAGE_ROLES, { $id: 'MessageRole', description: `Who wrote a message: ${MESSAGE_ROLES.join(', ')}` });

export const TextPart = Type.Object({ type: oneOf(['text']), text: Type.String() }, { $id: 'TextPart', additionalProperties: false, description: 'Text, counted as tokens' });

export const ImageUrlPart = Type.Object(
  {
    type: oneOf(['image_url']),
    image_url: Type.Object(
      {
        url: Type.String({ description: 'An http(s) URL, or a data:image/… URL (it counts toward the message size)' }),
        detail: Type.Optional(oneOf(IMAGE_DETAILS)),
      },
      { additionalProperties: false },
    ),
  },
  { $id: 'ImageUrlPart', additionalProperties: false, description: 'An image by URL. User messages only; not counted as tokens' },
);

export const FilePart = Type.Object(
  {
    type: oneOf(['file']),
    file: Type.Object({ file_id: Type.String({ minLength: 1 }), filename: Type.Optional(Type.String()) }, { additionalProperties: false }),
  },
  { $id: 'FilePart', additionalProperties: false, description: 'A file or image by reference. User messages only; not counted as tokens' },
);

export const ContentPart = Type.Union([ref(TextPart), ref(ImageUrlPart), ref(FilePart)], { $id: 'ContentPart', description: CONTENT_PART_TYPES.join(', ') });

/** A string or parts; null only on an assistant message with tool calls. */
const Content = () =>
  ({
    // OpenAPI 3.0 has no null type: a nullable string that can only be null is its way of saying `null`.
    anyOf: [Type.String(), Type.Array(ref(ContentPart), { minItems: 1, maxItems: MESSAGE_LIMITS.parts }), { type: 'string', nullable: true, enum: [null] }],
    description: `A string, or 1 to ${MESSAGE_LIMITS.parts} parts; null only on an assistant message with tool_calls`,
  }) as unknown as TUnion<[TString, TArray<typeof ContentPart>, TNull]>;

export const ToolCall = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: MESSAGE_LIMITS.toolCallIdChars }),
    name: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
    arguments: Type.String({ description: 'The arguments as a JSON text, as OpenAI sends them (`{"city":"Paris"}`)' }),
  },
  { $id: 'ToolCall', additionalProperties: false, description: 'A call an assistant message asks a tool to make' },
);

const messageFields = () => ({
  role: ref(MessageRole),
  content: Content(),
  tool_calls: Type.Optional(Type.Array(ref(ToolCall), { minItems: 1, maxItems: MESSAGE_LIMITS.toolCalls, description: 'Assistant messages only' })),
  tool_call_id: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: MESSAGE_LIMITS.toolCallIdChars,
      description: 'Tool messages only, and required there: the call the message answers, which must be open in the window',
    }),
  ),
  name: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'A participant name (not on tool messages)' })),
  metadata: Type.Optional(
    JsonObject(`Any JSON object, at most ${MESSAGE_LIMITS.metadataBytes} bytes as JSON: stored and returned, never sent to a model, not counted`),
  ),
});

export const AppendMessage = Type.Object(messageFields(), {
  $id: 'AppendMessage',
  additionalProperties: false,
  description:
    'A message as Chat Completions has it. Content text, names and tool call arguments together are at most MAX_MESSAGE_BYTES (32 KiB by default) as UTF-8. ' +
    'An assistant message with tool_calls opens a turn that only tool messages answering those calls may follow (409 otherwise) until each is answered once.',
});

export const AppendTurn = Type.Object(
  { messages: Type.Array(ref(AppendMessage), { minItems: 1, maxItems: MESSAGE_LIMITS.turnMessages }) },
  { $id: 'AppendTurn', additionalProperties: false, description: `1 to ${MESSAGE_LIMITS.turnMessages} messages appended in order, all or nothing` },
);

export const Message = Type.Object(
  {
    id: Type.String(),
    ...messageFields(),
    tokens: Type.Integer({ description: 'Tokens a model reads for this message (content text, name, tool names and arguments) in the session’s token_encoding' }),
    created_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'Message', description: 'A stored message: exactly what was appended, with its id, token count and time' },
);

export const OpenAIMessage = Type.Object(
  {
    role: ref(MessageRole),
    content: Content(),
    name: Type.Optional(Type.String()),
    tool_calls: Type.Optional(
      Type.Array(Type.Object({ id: Type.String(), type: oneOf(['function']), function: Type.Object({ name: Type.String(), arguments: Type.String() }) })),
    ),
    tool_call_id: Type.Optional(Type.String()),
  },
  { $id: 'OpenAIMessage', description: 'A message as the Chat Completions API takes it in `messages`' },
);

export const TokenUsage = Type.Object(
  {
    used: Type.Integer({ description: 'Tokens the window holds' }),
    max: Type.Integer({ description: 'The window’s budget (SHORT_TERM_MAX_TOKENS)' }),
    percentage: Type.Number({ description: '`used` as a percentage of `max`' }),
  },
  { $id: 'TokenUsage' },
);

const evictedIds = () => Type.Array(Type.String(), { description: 'Ids of the messages evicted to make room, oldest first' });

export const AppendedMessage = Type.Object(
  { message: ref(Message), token_usage: ref(TokenUsage), evicted: evictedIds() },
  { $id: 'AppendedMessage' },
);

export const AppendedTurn = Type.Object(
  { messages: Type.Array(ref(Message)), token_usage: ref(TokenUsage), evicted: evictedIds() },
  { $id: 'AppendedTurn' },
);

export const MessageWindow = Type.Object(
  {
    messages: Type.Union([Type.Array(ref(Message)), Type.Array(ref(OpenAIMessage))], { description: 'Message by default; OpenAIMessage with ?format=openai' }),
    token_usage: ref(TokenUsage),
  },
  { $id: 'MessageWindow' },
);

export const Context = Type.Object(
  {
    summary: Type.Unsafe<string | null>({ type: 'string', nullable: true, description: 'The running summary of evicted messages, or null; its tokens count in token_usage' }),
    messages: Type.Union([Type.Array(ref(Message)), Type.Array(ref(OpenAIMessage))], {
      description: 'The window. With ?format=openai: the system messages, then the summary as a system message, then the rest, ready for Chat Completions',
    }),
    token_usage: ref(TokenUsage),
  },
  { $id: 'Context' },
);

export const EvictedBuffer = Type.Object(
  {
    summary: Type.Unsafe<string | null>({ type: 'string', nullable: true, description: 'The running summary so far, or null' }),
    summary_version: Type.Integer({ description: 'Send it back with the summary: a commit over a summary that moved on is refused (409)' }),
    messages: Type.Array(ref(Message), { description: 'Evicted and not yet summarized, oldest first (at most 1000 kept)' }),
  },
  { $id: 'EvictedBuffer' },
);

export const CommitSummary = Type.Object(
  {
    summary: Type.String({ description: 'The new running summary: the previous one and the buffer up to through_id, folded' }),
    through_id: Id('The last buffered message the summary covers'),
    summary_version: Type.Integer({ minimum: 0, description: 'The summary_version read with the buffer' }),
  },
  { $id: 'CommitSummary', additionalProperties: false },
);

export const CommittedSummary = Type.Object(
  { summary_version: Type.Integer(), token_usage: ref(TokenUsage), evicted: evictedIds() },
  { $id: 'CommittedSummary' },
);

export const MessageParams = Type.Object({ session_id: Id('The session'), message_id: Id('The message') }, { additionalProperties: false });

export const DeletedMessages = Type.Object(
  { deleted: Type.Array(Type.String(), { description: 'Ids of the messages deleted, in window order' }) },
  { $id: 'DeletedMessages' },
);

export const WindowQuery = Type.Object(
  {
    last: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,5}$', description: 'Only the newest N messages, 1 to 999999 (applied after `after`)' })),
    after: Type.Optional(Id('Only the messages after this message id, a cursor (400 when it is not in the window)')),
    format: Type.Optional(
      oneOf(['neutral', 'openai'], { description: 'neutral (the default): messages as stored, with ids, tokens and times; openai: ready for Chat Completions `messages`' }),
    ),
  },
  { additionalProperties: false },
);

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
  TokenEncoding,
  CreateSession,
  Session,
  SessionPatch,
  SessionList,
  DeletedSessions,
  MessageRole,
  TextPart,
  ImageUrlPart,
  FilePart,
  ContentPart,
  ToolCall,
  AppendMessage,
  AppendTurn,
  Message,
  OpenAIMessage,
  TokenUsage,
  AppendedMessage,
  AppendedTurn,
  MessageWindow,
  Context,
  DeletedMessages,
  EvictedBuffer,
  CommitSummary,
  CommittedSummary,
  Checkpoint,
  CheckpointList,
  RestoreCheckpoint,
  Restored,
  PutTaskResult,
  StoredTaskResult,
  TaskResult,
];
