import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Message as MessageData, TokenUsage as TokenUsageData } from '../../index.js';
import { notFound } from '../errors.js';
import { IdempotencyHeaders, idempotencyOf } from '../idempotency.js';
import {
  AppendedMessage,
  AppendMessage,
  Checkpoint,
  CheckpointList,
  errorResponse,
  MessageWindow,
  ref,
  RestoreCheckpoint,
  Restored,
  SessionParams,
} from '../schemas.js';

const sessionMissing = errorResponse('No such session for this user: never created, expired, deleted, or another user’s (NOT_FOUND)');

const messageBody = (message: MessageData) => ({
  id: message.id,
  role: message.role,
  content: message.content,
  tokens: message.tokens,
  created_at: message.createdAt,
});
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
        summary: 'Append a message; the oldest non-system messages are evicted past the token budget',
        headers: IdempotencyHeaders,
        params: SessionParams,
        body: ref(AppendMessage),
        response: {
          201: ref(AppendedMessage),
          404: sessionMissing,
          422: errorResponse('The message is larger than the whole token budget, or system messages leave it no room; nothing was written (CAPACITY_EXCEEDED)'),
        },
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
        operationId: 'getMessages',
        tags,
        summary: 'The window, oldest message first',
        params: SessionParams,
        response: { 200: ref(MessageWindow), 404: sessionMissing },
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
    {
      schema: {
        operationId: 'createCheckpoint',
        tags,
        summary: 'Save the window as a checkpoint',
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
