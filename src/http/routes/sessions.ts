import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Session } from '../../index.js';
import { notFound } from '../errors.js';
import { IdempotencyHeaders, idempotencyOf } from '../idempotency.js';

/** The rule of `assertId`, so a crafted id is a 400 before it gets anywhere near a key. */
export const Id = (description: string) =>
  Type.String({ pattern: '^[A-Za-z0-9_.-]{1,128}$', description: `${description}: 1 to 128 letters, digits, '_', '-' or '.'` });

export const SessionParams = Type.Object({ session_id: Id('The session') }, { additionalProperties: false });
/** None of these routes takes a query string; an unexpected parameter is a mistake worth reporting. */
export const NoQuery = Type.Object({}, { additionalProperties: false });

const CreateSessionBody = Type.Object(
  {
    agent_id: Id('The agent the session belongs to'),
    metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Any JSON object, at most 16 KiB as JSON' })),
  },
  { additionalProperties: false },
);

const SessionBody = Type.Object({
  session_id: Type.String(),
  user_id: Type.String(),
  agent_id: Type.String(),
  metadata: Type.Record(Type.String(), Type.Unknown()),
  created_at: Type.String({ format: 'date-time' }),
  expires_in: Type.Integer({ description: 'Seconds until the session expires unless refreshed' }),
});

export function sessionBody(session: Session) {
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
    { schema: { tags, summary: 'Start a session', headers: IdempotencyHeaders, body: CreateSessionBody, querystring: NoQuery, response: { 201: SessionBody } } },
    async (request, reply) => {
      const { agent_id: agentId, metadata } = request.body;
      const session = await sessions.create(request.caller.userId, { agentId, metadata }, idempotencyOf(request));
      return reply.code(201).send(sessionBody(session));
    },
  );

  app.get(
    '/sessions',
    { schema: { tags, summary: 'The caller’s live sessions', querystring: NoQuery, response: { 200: Type.Object({ sessions: Type.Array(SessionBody) }) } } },
    async (request) => ({ sessions: (await sessions.list(request.caller.userId)).map(sessionBody) }),
  );

  app.delete(
    '/sessions',
    {
      schema: {
        tags,
        summary: 'Delete all of the caller’s sessions, with their windows and checkpoints',
        querystring: NoQuery,
        response: { 200: Type.Object({ deleted: Type.Integer({ description: 'Live sessions deleted' }) }) },
      },
    },
    async (request) => ({ deleted: await sessions.deleteAll(request.caller.userId) }),
  );

  app.get(
    '/sessions/:session_id',
    { schema: { tags, summary: 'A session and its remaining lifetime', params: SessionParams, querystring: NoQuery, response: { 200: SessionBody } } },
    async (request) => {
      const session = await sessions.get(request.caller.userId, request.params.session_id);
      if (session === null) throw notFound('Session');
      return sessionBody(session);
    },
  );

  app.post(
    '/sessions/:session_id/refresh',
    { schema: { tags, summary: 'Extend a session to the full session TTL', params: SessionParams, querystring: NoQuery, response: { 200: SessionBody } } },
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
        tags,
        summary: 'Delete a session with its window and checkpoints',
        headers: IdempotencyHeaders,
        params: SessionParams,
        querystring: NoQuery,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      if (!(await sessions.delete(request.caller.userId, request.params.session_id, idempotencyOf(request)))) throw notFound('Session');
      return reply.code(204).send(null);
    },
  );
};
