import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Session as SessionData } from '../../index.js';
import { answerWhenDone } from '../answer.js';
import { jsonParser } from '../conventions.js';
import { HttpError, notFound } from '../errors.js';
import { IdempotencyHeaders, idempotencyOf } from '../idempotency.js';
import { CreateSession, DeletedSessions, errorResponse, ref, Session, SessionList, SessionParams, SessionPatch } from '../schemas.js';

/** The media types PATCH /sessions/{id} takes: RFC 7386's own, and plain JSON for clients that only send that. */
export const MERGE_PATCH_TYPES = ['application/merge-patch+json', 'application/json'] as const;

const sessionMissing = errorResponse('No such session for this user: never created, expired, deleted, or another user’s (NOT_FOUND)');

export function sessionBody(session: SessionData) {
  return {
    session_id: session.sessionId,
    user_id: session.userId,
    agent_id: session.agentId,
    metadata: session.metadata,
    token_encoding: session.tokenEncoding,
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
      const { agent_id: agentId, metadata, token_encoding: tokenEncoding } = request.body;
      const session = await sessions.create(request.caller.userId, { agentId, metadata, tokenEncoding }, idempotencyOf(request));
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
    // The hot read: no async handler, no promise returned (each promise it makes costs the request scope a copy).
    (request, reply) =>
      answerWhenDone(reply, sessions.get(request.caller.userId, request.params.session_id), (session) => {
        if (session === null) throw notFound('Session');
        return sessionBody(session);
      }),
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

  // In a scope of its own, so only this route takes application/merge-patch+json.
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/merge-patch+json', { parseAs: 'string' }, jsonParser(scope));
    scope.addContentTypeParser('*', (request, _payload, done) => {
      const got = request.headers['content-type']?.split(';')[0]?.trim().slice(0, 100);
      done(new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', `Send the merge patch as Content-Type: ${MERGE_PATCH_TYPES.join(' or ')}${got ? ` (got ${got})` : ' (none was given)'}`));
    });
    scope.withTypeProvider<TypeBoxTypeProvider>().patch(
      '/sessions/:session_id',
      {
        schema: {
          operationId: 'patchSession',
          tags,
          summary: 'Change the session’s metadata with a JSON Merge Patch (RFC 7386), atomically',
          description:
            'Members of `metadata` set to null are removed, objects merge member by member, anything else replaces the member; ' +
            'concurrent patches of different members all land. The session’s TTL is unchanged. Send Content-Type: application/merge-patch+json (or application/json).',
          consumes: [...MERGE_PATCH_TYPES],
          headers: IdempotencyHeaders,
          params: SessionParams,
          body: ref(SessionPatch),
          response: {
            200: ref(Session),
            404: sessionMissing,
            415: errorResponse(`The body is not ${MERGE_PATCH_TYPES.join(' or ')} (UNSUPPORTED_MEDIA_TYPE)`),
            422: errorResponse(
              'The merged metadata would be larger than 16 KiB as JSON, and nothing changed (CAPACITY_EXCEEDED); or the Idempotency-Key was already used for a different request (IDEMPOTENCY_KEY_REUSED)',
            ),
          },
        },
      },
      async (request) => {
        const patch = request.body.metadata ?? {};
        const session = await sessions.patchMetadata(request.caller.userId, request.params.session_id, patch, idempotencyOf(request));
        if (session === null) throw notFound('Session');
        return sessionBody(session);
      },
    );
  });

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
