import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CapacityError, ConflictError, toOpenAI, ValidationError, type TokenUsage } from '../../index.js';
import { notFound } from '../errors.js';
import { httpFieldNames, MessageBody, MessageInputBody, messageBody, OpenAIMessageBody, TokenUsageBody, toMessageInput, TurnBody } from '../message-schemas.js';
import { Id, NoQuery, SessionParams } from './sessions.js';

const RestoreBody = Type.Object({ checkpoint_id: Id('The checkpoint') }, { additionalProperties: false });
const CheckpointBody = Type.Object({ checkpoint_id: Type.String(), created_at: Type.String({ format: 'date-time' }), message_count: Type.Integer() });
const ReadQuery = Type.Object(
  {
    format: Type.Optional(
      Type.Union([Type.Literal('neutral'), Type.Literal('openai')], {
        description: 'neutral (the default): messages as stored, with ids, tokens and times; openai: ready for Chat Completions `messages`',
      }),
    ),
  },
  { additionalProperties: false },
);

const usageBody = ({ used, max, percentage }: TokenUsage) => ({ used, max, percentage });

/** The library names fields as its API does (toolCallId); a caller of this API sent tool_call_id. */
async function inHttpNames<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof ValidationError) throw new ValidationError(httpFieldNames(err.message), err.field && httpFieldNames(err.field));
    if (err instanceof ConflictError) throw new ConflictError(httpFieldNames(err.message), err.field && httpFieldNames(err.field));
    if (err instanceof CapacityError) throw new CapacityError(httpFieldNames(err.message), err.field && httpFieldNames(err.field));
    throw err;
  }
}

/**
 * The short-term memory of a session: its message window and checkpoints. A session that is missing, expired or
 * another user's is a 404 for every route here, and nothing is written for it.
 */
export const memoryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const memory = app.remembr.memory;
  const tags = ['short-term memory'];
  const missingSession = () => notFound('Session');
  const appended = Type.Object({ message: MessageBody, token_usage: TokenUsageBody, evicted: Type.Array(Type.String(), { description: 'Ids of evicted messages, oldest first' }) });

  app.post(
    '/sessions/:session_id/messages',
    {
      schema: {
        tags,
        summary: 'Append a message; past the token budget the oldest units (a message, or an assistant message with its tool results) are evicted',
        params: SessionParams,
        querystring: NoQuery,
        body: MessageInputBody,
        response: { 201: appended },
      },
    },
    async (request, reply) => {
      const result = await inHttpNames(memory.append(request.caller.userId, request.params.session_id, toMessageInput(request.body)));
      if (result === null) throw missingSession();
      return reply.code(201).send({ message: messageBody(result.message), token_usage: usageBody(result.tokenUsage), evicted: result.evicted });
    },
  );

  app.post(
    '/sessions/:session_id/turns',
    {
      schema: {
        tags,
        summary: 'Append a turn (e.g. an assistant message with tool calls and their results) in order, all or nothing',
        params: SessionParams,
        querystring: NoQuery,
        body: TurnBody,
        response: { 201: Type.Object({ messages: Type.Array(MessageBody), token_usage: TokenUsageBody, evicted: Type.Array(Type.String()) }) },
      },
    },
    async (request, reply) => {
      const result = await inHttpNames(memory.appendTurn(request.caller.userId, request.params.session_id, request.body.messages.map(toMessageInput)));
      if (result === null) throw missingSession();
      return reply.code(201).send({ messages: result.messages.map(messageBody), token_usage: usageBody(result.tokenUsage), evicted: result.evicted });
    },
  );

  app.get(
    '/sessions/:session_id/messages',
    {
      schema: {
        tags,
        summary: 'The window, oldest message first',
        params: SessionParams,
        querystring: ReadQuery,
        response: { 200: Type.Object({ messages: Type.Union([Type.Array(MessageBody), Type.Array(OpenAIMessageBody)]), token_usage: TokenUsageBody }) },
      },
    },
    async (request) => {
      const window = await memory.read(request.caller.userId, request.params.session_id);
      if (window === null) throw missingSession();
      const messages = request.query.format === 'openai' ? toOpenAI(window.messages) : window.messages.map(messageBody);
      return { messages, token_usage: usageBody(window.tokenUsage) };
    },
  );

  app.post(
    '/sessions/:session_id/checkpoints',
    { schema: { tags, summary: 'Save the window as a checkpoint', params: SessionParams, querystring: NoQuery, response: { 201: CheckpointBody } } },
    async (request, reply) => {
      const checkpoint = await memory.checkpoint(request.caller.userId, request.params.session_id);
      if (checkpoint === null) throw missingSession();
      return reply.code(201).send({ checkpoint_id: checkpoint.checkpointId, created_at: checkpoint.createdAt, message_count: checkpoint.messageCount });
    },
  );

  app.get(
    '/sessions/:session_id/checkpoints',
    {
      schema: { tags, summary: 'The session’s checkpoints, oldest first', params: SessionParams, querystring: NoQuery, response: { 200: Type.Object({ checkpoints: Type.Array(CheckpointBody) }) } },
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
        tags,
        summary: 'Replace the window with a checkpoint, in one step',
        params: SessionParams,
        querystring: NoQuery,
        body: RestoreBody,
        response: { 200: Type.Object({ restored_message_count: Type.Integer() }) },
      },
    },
    async (request) => {
      const restored = await memory.restore(request.caller.userId, request.params.session_id, request.body.checkpoint_id);
      // The library cannot tell a missing session from a missing checkpoint here; neither exists for this caller.
      if (restored === null) throw notFound('Session or checkpoint');
      return { restored_message_count: restored.restoredMessageCount };
    },
  );
};
