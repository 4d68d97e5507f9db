import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MESSAGE_ROLES, type Message, type TokenUsage } from '../../index.js';
import { notFound } from '../errors.js';
import { IdempotencyHeaders, idempotencyOf } from '../idempotency.js';
import { Id, NoQuery, SessionParams } from './sessions.js';

const AppendBody = Type.Object(
  {
    role: Type.Union(MESSAGE_ROLES.map((role) => Type.Literal(role)), { description: MESSAGE_ROLES.join(', ') }),
    content: Type.String({ description: 'The message text, at most MAX_MESSAGE_BYTES (32 KiB) as UTF-8' }),
  },
  { additionalProperties: false },
);

const RestoreBody = Type.Object({ checkpoint_id: Id('The checkpoint') }, { additionalProperties: false });

const MessageBody = Type.Object({
  id: Type.String(),
  role: Type.String(),
  content: Type.String(),
  tokens: Type.Integer({ description: 'Tokens of content in the configured TOKEN_ENCODING (cl100k_base by default)' }),
  created_at: Type.String({ format: 'date-time' }),
});
const TokenUsageBody = Type.Object({ used: Type.Integer(), max: Type.Integer(), percentage: Type.Number() });
const CheckpointBody = Type.Object({ checkpoint_id: Type.String(), created_at: Type.String({ format: 'date-time' }), message_count: Type.Integer() });

const messageBody = (message: Message) => ({
  id: message.id,
  role: message.role,
  content: message.content,
  tokens: message.tokens,
  created_at: message.createdAt,
});
const usageBody = ({ used, max, percentage }: TokenUsage) => ({ used, max, percentage });

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
        tags,
        summary: 'Append a message; the oldest non-system messages are evicted past the token budget',
        headers: IdempotencyHeaders,
        params: SessionParams,
        querystring: NoQuery,
        body: AppendBody,
        response: { 201: Type.Object({ message: MessageBody, token_usage: TokenUsageBody, evicted: Type.Array(Type.String(), { description: 'Ids of evicted messages' }) }) },
      },
    },
    async (request, reply) => {
      const appended = await memory.append(request.caller.userId, request.params.session_id, request.body, idempotencyOf(request));
      if (appended === null) throw missingSession();
      return reply.code(201).send({ message: messageBody(appended.message), token_usage: usageBody(appended.tokenUsage), evicted: appended.evicted });
    },
  );

  app.get(
    '/sessions/:session_id/messages',
    {
      schema: {
        tags,
        summary: 'The window, oldest message first',
        params: SessionParams,
        querystring: NoQuery,
        response: { 200: Type.Object({ messages: Type.Array(MessageBody), token_usage: TokenUsageBody }) },
      },
    },
    async (request) => {
      const window = await memory.read(request.caller.userId, request.params.session_id);
      if (window === null) throw missingSession();
      return { messages: window.messages.map(messageBody), token_usage: usageBody(window.tokenUsage) };
    },
  );

  app.post(
    '/sessions/:session_id/checkpoints',
    { schema: { tags, summary: 'Save the window as a checkpoint', headers: IdempotencyHeaders, params: SessionParams, querystring: NoQuery, response: { 201: CheckpointBody } } },
    async (request, reply) => {
      const checkpoint = await memory.checkpoint(request.caller.userId, request.params.session_id, idempotencyOf(request));
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
        headers: IdempotencyHeaders,
        params: SessionParams,
        querystring: NoQuery,
        body: RestoreBody,
        response: { 200: Type.Object({ restored_message_count: Type.Integer() }) },
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
