import type { FastifyReply } from 'fastify';

/**
 * For the hot handlers: sends `answer(value)` once `work` resolves, or the error it (or `answer`) fails with,
 * and returns nothing. A handler that returns its promise instead has Fastify chain one more promise onto it to
 * send the result, and every promise a request makes costs the request scope's storage a copy. Errors reach the
 * error handler exactly as a rejected handler's would (reply.send of an Error).
 */
export function answerWhenDone<T>(reply: FastifyReply, work: Promise<T>, answer: (value: T) => unknown, failure?: (err: unknown) => unknown): void {
  work.then(
    (value) => {
      let payload: unknown;
      try {
        payload = answer(value);
      } catch (err) {
        reply.send(err);
        return;
      }
      reply.send(payload);
    },
    (err: unknown) => reply.send(failure === undefined ? err : failure(err)),
  );
}
