import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Session as SessionData } from '../../index.js';
import { notFound } from '../errors.js';
import { IdempotencyHeaders, idempotencyOf } from '../idempotency.js';
import { CreateSession, DeletedSessions, errorResponse, ref, Session, SessionList, SessionParams } from '../schemas.js';

const sessionMissing = errorResponse('No such session for this user: never created, expired, deleted, or another user’s (NOT_FOUND)');

export function sessionBody(session: SessionData) {
  return {
    session_id: session.sessionId,
    user_id: session.userId,
    agent_id: session.agentId,
    metadata: session.metadata,
    created_at: session.createdAt,
    expires_in: session.expiresIn,
  };
}

/**
 * Sessions (the guide's "Session Management") of the calling user. Every key is built from `request.caller`, so
 * another user's session is answered exactly like a missing one and cannot be touched.
 */
export const sessionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const sessions = app.remembr.sessions;
  const tags = ['sessions'];

  app.post(
    '/sessions',
    { schema: { operationId: 'createSession', tags, summary: 'Start a session', headers: IdempotencyHeaders, body: ref(CreateSession), response: { 201: ref(Session) } } },
    async (request, reply) => {
      const { agent_id: agentId, metadata } = request.body;
      const session = await sessions.create(request.caller.userId, { agentId, metadata }, idempotencyOf(request));
      return reply.code(201).send(sessionBody(session));
    },
  );

  app.get(
    '/sessions',
    { schema: { operationId: 'listSessions', tags, summary: 'The caller’s live sessions', response: { 200: ref(SessionList) } } },
    async (request) => ({ sessions: (await sessions.list(request.caller.userId)).map(sessionBody) }),
  );

  app.delete(
    '/sessions',
    {
      schema: {
        operationId: 'deleteSessions',
        tags,
        summary: 'Delete all of the caller’s sessions, with their windows and checkpoints',
        response: { 200: ref(DeletedSessions) },
      },
    },
    async (request) => ({ deleted: await sessions.deleteAll(request.caller.userId) }),
  );

  app.get(
    '/sessions/:session_id',
    { schema: { operationId: 'getSession', tags, summary: 'A session and its remaining lifetime', params: SessionParams, response: { 200: ref(Session), 404: sessionMissing } } },
    async (request) => {
      const session = await sessions.get(request.caller.userId, request.params.session_id);
      if (session === null) throw notFound('Session');
      return sessionBody(session);
    },
  );

  app.post(
    '/sessions/:session_id/refresh',
    { schema: { operationId: 'refreshSession', tags, summary: 'Extend a session to the full session TTL', params: SessionParams, response: { 200: ref(Session), 404: sessionMissing } } },
    async (request) => {
      const session = await sessions.refresh(request.caller.userId, request.params.session_id);
      if (session === null) throw notFound('Session');
      return sessionBody(session);
    },
  );

  app.delete(
    '/sessions/:session_id',
    {
      schema: {
        operationId: 'deleteSession',
        tags,
        summary: 'Delete a session with its window and checkpoints',
        headers: IdempotencyHeaders,
        params: SessionParams,
        response: { 204: Type.Null({ description: 'Deleted' }), 404: sessionMissing },
      },
    },
    async (request, reply) => {
      if (!(await sessions.delete(request.caller.userId, request.params.session_id, idempotencyOf(request)))) throw notFound('Session');
      return reply.code(204).send(null);
    },
  );
};
