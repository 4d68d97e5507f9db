import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Static } from '@sinclair/typebox';
import {
  CapacityError,
  ConflictError,
  toOpenAI,
  ValidationError,
  type Message as MessageData,
  type MessageInput,
  type TokenUsage as TokenUsageData,
} from '../../index.js';
import { answerWhenDone } from '../answer.js';
import { notFound } from '../errors.js';
import { IdempotencyHeaders, idempotencyOf } from '../idempotency.js';
import {
  AppendedMessage,
  AppendedTurn,
  AppendMessage,
  AppendTurn,
  Checkpoint,
  CheckpointList,
  CommitSummary,
  CommittedSummary,
  Context,
  DeletedMessages,
  errorResponse,
  EvictedBuffer,
  Message,
  MessageWindow,
  ref,
  RestoreCheckpoint,
  Restored,
  MessageParams,
  SessionParams,
  WindowQuery,
} from '../schemas.js';

const sessionMissing = errorResponse('No such session for this user: never created, expired, deleted, or another user’s (NOT_FOUND)');
const turnOpen = errorResponse('The window’s last assistant message waits for the results of its tool calls; nothing else may be appended until each is answered (CONFLICT)');
const tooLarge = errorResponse('The message (or the turn’s last unit) is larger than the whole token budget, or system messages leave it no room; nothing was written (CAPACITY_EXCEEDED)');

function toMessageInput(body: Static<typeof AppendMessage>): MessageInput {
  const input: MessageInput = { role: body.role, content: body.content as MessageInput['content'] };
  if (body.tool_calls !== undefined) input.toolCalls = body.tool_calls;
  if (body.tool_call_id !== undefined) input.toolCallId = body.tool_call_id;
  if (body.name !== undefined) input.name = body.name;
  if (body.metadata !== undefined) input.metadata = body.metadata;
  return input;
}

/** A stored message in its HTTP shape: the fields the caller sent, as sent, then id, tokens and time. */
function messageBody(message: MessageData) {
  const body: Record<string, unknown> = { id: message.id, role: message.role, content: message.content };
  if (message.toolCalls !== undefined) body.tool_calls = message.toolCalls;
  if (message.toolCallId !== undefined) body.tool_call_id = message.toolCallId;
  if (message.name !== undefined) body.name = message.name;
  if (message.metadata !== undefined) body.metadata = message.metadata;
  body.tokens = message.tokens;
  body.created_at = message.createdAt;
  return body as Static<typeof Message>;
}

/** The library names fields as its API does (toolCallId); a caller of this API sent tool_call_id. */
const httpNames = (text: string) => text.replace(/\btoolCalls\b/g, 'tool_calls').replace(/\btoolCallId\b/g, 'tool_call_id');
/** `err` with the field names in its message and field as this API spells them. */
function inHttpNamesOf(err: unknown): unknown {
  if (err instanceof ValidationError) return new ValidationError(httpNames(err.message), err.field && httpNames(err.field));
  if (err instanceof ConflictError) return new ConflictError(httpNames(err.message), err.field && httpNames(err.field));
  if (err instanceof CapacityError) return new CapacityError(httpNames(err.message), err.field && httpNames(err.field));
  return err;
}

function inHttpNames<T>(work: Promise<T>): Promise<T> {
  return work.then(undefined, (err: unknown) => {
    throw inHttpNamesOf(err);
  });
}

const usageBody = ({ used, max, percentage }: TokenUsageData) => ({ used, max, percentage });

/**
 * The short-term memory of a session: its message window and checkpoints. A session that is missing, expired or
 * another user's is a 404 for every route here, and nothing is written for it.
 */
export const memoryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const memory = app.remembr.memory;
  const tags = ['short-term memory'];
  const missingSession = () => notFound('Session');

  app.post(
    '/sessions/:session_id/messages',
    {
      schema: {
        operationId: 'appendMessage',
        tags,
        summary: 'Append a message; past the token budget the oldest units (a message, or an assistant message with its tool results) are evicted',
        headers: IdempotencyHeaders,
        params: SessionParams,
        body: ref(AppendMessage),
        response: {
          201: ref(AppendedMessage),
          404: sessionMissing,
          409: turnOpen,
          422: tooLarge,
        },
      },
    },
    // The hot write: no async handler, no promise returned, errors renamed where they are sent (each promise a
    // request makes costs the request scope a copy).
    (request, reply) =>
      answerWhenDone(
        reply,
        memory.append(request.caller.userId, request.params.session_id, toMessageInput(request.body), idempotencyOf(request)),
        (appended) => {
          if (appended === null) throw missingSession();
          reply.code(201);
          return { message: messageBody(appended.message), token_usage: usageBody(appended.tokenUsage), evicted: appended.evicted };
        },
        inHttpNamesOf,
      ),
  );

  app.post(
    '/sessions/:session_id/turns',
    {
      schema: {
        operationId: 'appendTurn',
        tags,
        summary: 'Append a turn (e.g. an assistant message with tool calls and their results) in order, all or nothing',
        headers: IdempotencyHeaders,
        params: SessionParams,
        body: ref(AppendTurn),
        response: { 201: ref(AppendedTurn), 404: sessionMissing, 409: turnOpen, 422: tooLarge },
      },
    },
    async (request, reply) => {
      const appended = await inHttpNames(memory.appendTurn(request.caller.userId, request.params.session_id, request.body.messages.map(toMessageInput), idempotencyOf(request)));
      if (appended === null) throw missingSession();
      return reply.code(201).send({ messages: appended.messages.map(messageBody), token_usage: usageBody(appended.tokenUsage), evicted: appended.evicted });
    },
  );

  app.get(
    '/sessions/:session_id/messages',
    {
      schema: {
        operationId: 'getMessages',
        tags,
        summary: 'The window, oldest message first',
        params: SessionParams,
        querystring: WindowQuery,
        response: { 200: ref(MessageWindow), 404: sessionMissing },
      },
    },
    async (request) => {
      const { last, after } = request.query;
      const window = await memory.read(request.caller.userId, request.params.session_id, { last: last === undefined ? undefined : Number(last), after });
      if (window === null) throw missingSession();
      const messages = request.query.format === 'openai' ? toOpenAI(window.messages) : window.messages.map(messageBody);
      return { messages, token_usage: usageBody(window.tokenUsage) } as Static<typeof MessageWindow>;
    },
  );

  app.delete(
    '/sessions/:session_id/messages',
    {
      schema: {
        operationId: 'clearMessages',
        tags,
        summary: 'Clear the window (its messages, summary and eviction buffer), keeping the session',
        params: SessionParams,
        response: { 200: ref(DeletedMessages), 404: sessionMissing },
      },
    },
    async (request) => {
      const deleted = await memory.delete(request.caller.userId, request.params.session_id);
      if (deleted === null) throw missingSession();
      return { deleted };
    },
  );

  app.delete(
    '/sessions/:session_id/messages/:message_id',
    {
      schema: {
        operationId: 'deleteMessage',
        tags,
        summary: 'Delete one message; a message of a tool-calling unit takes its whole unit (the assistant message and its results)',
        params: MessageParams,
        response: { 200: ref(DeletedMessages), 404: errorResponse('No such session for this user, or no such message in its window (NOT_FOUND)') },
      },
    },
    async (request) => {
      const deleted = await memory.delete(request.caller.userId, request.params.session_id, request.params.message_id);
      if (deleted === null) throw notFound('Session or message');
      return { deleted };
    },
  );

  app.get(
    '/sessions/:session_id/context',
    {
      schema: {
        operationId: 'getContext',
        tags,
        summary: 'What to send a model: the system messages, the running summary, then the recent turns, within the budget',
        params: SessionParams,
        querystring: WindowQuery,
        response: { 200: ref(Context), 404: sessionMissing },
      },
    },
    async (request) => {
      const window = await memory.read(request.caller.userId, request.params.session_id);
      if (window === null) throw missingSession();
      if (request.query.format !== 'openai') {
        return { summary: window.summary, messages: window.messages.map(messageBody), token_usage: usageBody(window.tokenUsage) } as Static<typeof Context>;
      }
      const system = window.messages.filter((message) => message.role === 'system');
      const summary: MessageInput[] = window.summary === null ? [] : [{ role: 'system', content: `Summary of the earlier conversation:\n${window.summary}` }];
      const rest = window.messages.filter((message) => message.role !== 'system');
      return { summary: window.summary, messages: toOpenAI([...system, ...summary, ...rest]), token_usage: usageBody(window.tokenUsage) } as Static<typeof Context>;
    },
  );

  app.get(
    '/sessions/:session_id/evicted',
    {
      schema: {
        operationId: 'getEvicted',
        tags,
        summary: 'The running summary and the evicted messages it does not cover yet: a summarizer’s input',
        params: SessionParams,
        response: { 200: ref(EvictedBuffer), 404: sessionMissing },
      },
    },
    async (request) => {
      const buffered = await memory.evicted(request.caller.userId, request.params.session_id);
      if (buffered === null) throw missingSession();
      return { summary: buffered.summary, summary_version: buffered.summaryVersion, messages: buffered.messages.map(messageBody) };
    },
  );

  app.post(
    '/sessions/:session_id/summary',
    {
      schema: {
        operationId: 'commitSummary',
        tags,
        summary: 'Commit a running summary covering the evicted messages up to through_id, atomically and only over what was read',
        headers: IdempotencyHeaders,
        params: SessionParams,
        body: ref(CommitSummary),
        response: {
          200: ref(CommittedSummary),
          404: sessionMissing,
          409: errorResponse('The summary moved on since summary_version, or through_id is no longer buffered; nothing changed: read the buffer again (CONFLICT)'),
          422: errorResponse(
            'The summary does not fit the budget beside the system messages (CAPACITY_EXCEEDED), or the Idempotency-Key was already used for a different request (IDEMPOTENCY_KEY_REUSED)',
          ),
        },
      },
    },
    async (request) => {
      const { summary, through_id: throughId, summary_version: summaryVersion } = request.body;
      const committed = await memory.commitSummary(request.caller.userId, request.params.session_id, { summary, throughId, summaryVersion }, idempotencyOf(request));
      if (committed === null) throw missingSession();
      return { summary_version: committed.summaryVersion, token_usage: usageBody(committed.tokenUsage), evicted: committed.evicted };
    },
  );

  app.post(
    '/sessions/:session_id/checkpoints',
    {
      schema: {
        operationId: 'createCheckpoint',
        tags,
        summary: 'Save the window as a checkpoint',
        description: 'A session keeps its 20 newest checkpoints (saving a 21st drops the oldest), each for LONG_TERM_TTL (a day).',
        headers: IdempotencyHeaders,
        params: SessionParams,
        response: { 201: ref(Checkpoint), 404: sessionMissing },
      },
    },
    async (request, reply) => {
      const checkpoint = await memory.checkpoint(request.caller.userId, request.params.session_id, idempotencyOf(request));
      if (checkpoint === null) throw missingSession();
      return reply.code(201).send({ checkpoint_id: checkpoint.checkpointId, created_at: checkpoint.createdAt, message_count: checkpoint.messageCount });
    },
  );

  app.get(
    '/sessions/:session_id/checkpoints',
    {
      schema: {
        operationId: 'listCheckpoints',
        tags,
        summary: 'The session’s checkpoints, oldest first',
        params: SessionParams,
        response: { 200: ref(CheckpointList), 404: sessionMissing },
      },
    },
    async (request) => {
      const checkpoints = await memory.listCheckpoints(request.caller.userId, request.params.session_id);
      if (checkpoints === null) throw missingSession();
      return {
        checkpoints: checkpoints.map((c) => ({ checkpoint_id: c.checkpointId, created_at: c.createdAt, message_count: c.messageCount })),
      };
    },
  );

  app.post(
    '/sessions/:session_id/restore',
    {
      schema: {
        operationId: 'restoreCheckpoint',
        tags,
        summary: 'Replace the window with a checkpoint, in one step',
        headers: IdempotencyHeaders,
        params: SessionParams,
        body: ref(RestoreCheckpoint),
        response: { 200: ref(Restored), 404: errorResponse('No such session for this user, or no such checkpoint in it (NOT_FOUND)') },
      },
    },
    async (request) => {
      const restored = await memory.restore(request.caller.userId, request.params.session_id, request.body.checkpoint_id, idempotencyOf(request));
      // The library cannot tell a missing session from a missing checkpoint here; neither exists for this caller.
      if (restored === null) throw notFound('Session or checkpoint');
      return { restored_message_count: restored.restoredMessageCount };
    },
  );
};
