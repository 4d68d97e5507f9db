import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LONG_TERM_TTL, SHORT_TERM_TTL } from '../../index.js';
import { notFound } from '../errors.js';
import { IdempotencyHeaders, idempotencyOf } from '../idempotency.js';

const TaskParams = Type.Object({
  task_id: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,128}$', description: "1 to 128 letters, digits, '_', '-' or '.'" }),
});

const PutResultBody = Type.Object(
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
  { additionalProperties: false },
);

const Stored = Type.Object({ task_id: Type.String(), expires_in: Type.Integer({ description: 'Seconds the result is kept' }) });
const Found = Type.Object({ result: Type.Unknown() });

/**
 * Temporary task results (the guide's "Temporary Data Storage"), per user: another user's task id is answered
 * exactly like a missing one. DELETE is the claim: of concurrent callers exactly one receives the result.
 */
export const taskRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tasks = app.remembr.tasks;

  app.put(
    '/tasks/:task_id/result',
    {
      schema: { tags: ['tasks'], summary: 'Store a task result (replacing any earlier one)', headers: IdempotencyHeaders, params: TaskParams, body: PutResultBody, response: { 201: Stored } },
    },
    async (request, reply) => {
      const { task_id: taskId } = request.params;
      const { ttlSeconds } = await tasks.put(request.caller.userId, taskId, request.body.result, request.body.ttl_seconds ?? SHORT_TERM_TTL, idempotencyOf(request));
      return reply.code(201).send({ task_id: taskId, expires_in: ttlSeconds });
    },
  );

  app.get(
    '/tasks/:task_id/result',
    { schema: { tags: ['tasks'], summary: 'Read a task result, leaving it in place', params: TaskParams, response: { 200: Found } } },
    async (request) => {
      const found = await tasks.peek(request.caller.userId, request.params.task_id);
      if (found === null) throw notFound('Task result');
      return found;
    },
  );

  app.delete(
    '/tasks/:task_id/result',
    {
      schema: {
        tags: ['tasks'],
        summary: 'Claim a task result: read and remove it in one step',
        description:
          'Of concurrent claimers exactly one receives the result. Send an Idempotency-Key: a claim whose answer was lost (504, or no answer) retried with the same key receives the same result, and every other claimer gets 404. Without a key, a claim that answered 504 may have consumed the result, which is then gone.',
        headers: IdempotencyHeaders,
        params: TaskParams,
        response: { 200: Found },
      },
    },
    async (request) => {
      const found = await tasks.take(request.caller.userId, request.params.task_id, idempotencyOf(request));
      if (found === null) throw notFound('Task result');
      return found;
    },
  );
};
