import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { SHORT_TERM_TTL } from '../../index.js';
import { notFound } from '../errors.js';
import { IdempotencyHeaders, idempotencyOf } from '../idempotency.js';
import { errorResponse, PutTaskResult, ref, StoredTaskResult, TaskParams, TaskResult } from '../schemas.js';

const resultMissing = errorResponse('No result under this task id for this user: never stored, expired, already claimed, or another user’s (NOT_FOUND)');

/**
 * Temporary task results (the guide's "Temporary Data Storage"), per user: another user's task id is answered
 * exactly like a missing one. DELETE is the claim: of concurrent callers exactly one receives the result.
 */
export const taskRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tasks = app.remembr.tasks;
  const tags = ['tasks'];

  app.put(
    '/tasks/:task_id/result',
    {
      schema: {
        operationId: 'putTaskResult',
        tags,
        summary: 'Store a task result (replacing any earlier one)',
        headers: IdempotencyHeaders,
        params: TaskParams,
        body: ref(PutTaskResult),
        response: { 201: ref(StoredTaskResult) },
      },
    },
    async (request, reply) => {
      const { task_id: taskId } = request.params;
      const { ttlSeconds } = await tasks.put(request.caller.userId, taskId, request.body.result, request.body.ttl_seconds ?? SHORT_TERM_TTL, idempotencyOf(request));
      return reply.code(201).send({ task_id: taskId, expires_in: ttlSeconds });
    },
  );

  app.get(
    '/tasks/:task_id/result',
    {
      schema: {
        operationId: 'peekTaskResult',
        tags,
        summary: 'Read a task result, leaving it in place',
        params: TaskParams,
        response: { 200: ref(TaskResult), 404: resultMissing },
      },
    },
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
        operationId: 'takeTaskResult',
        tags,
        summary: 'Claim a task result: read and remove it in one step',
        description:
          'Of concurrent claimers exactly one receives the result. Send an Idempotency-Key: a claim whose answer was lost (504, or no answer) retried with the same key receives the same result, and every other claimer gets 404. Without a key, a claim that answered 504 may have consumed the result, which is then gone.',
        headers: IdempotencyHeaders,
        params: TaskParams,
        response: { 200: ref(TaskResult), 404: resultMissing },
      },
    },
    async (request) => {
      const found = await tasks.take(request.caller.userId, request.params.task_id, idempotencyOf(request));
      if (found === null) throw notFound('Task result');
      return found;
    },
  );
};
