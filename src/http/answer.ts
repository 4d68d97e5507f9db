import type { FastifyReply } from 'fastify';

/**
 * For the hot handlers: sends `answer(value)` once `work` resolves, or the error it (or `answer`) fails with,
 * and returns nothing. A handler that returns its promise instead has Fastify chain one more promise onto it to
 * send the result, and every promise a request makes costs the request scope's storage a copy. Errors reach the
 * error handler exactly as a rejected handler's would (reply.send of an Error).
 */
export function answerWhenDone<T>(reply: FastifyReply, work: Promise<T>, answer: (value: T) => unknown, failure?: (err: unknown) => unknown): void {
  work.then(
    (value) => reply.send(settled(answer, value)),
    (err: unknown) => reply.send(failure === undefined ? err : settled(failure, err)),
  );
}

/** `make(input)`, or the error it throws: whatever happens, the reply is sent and no rejection is left unhandled. */
function settled<I>(make: (input: I) => unknown, input: I): unknown {
  try {
    return make(input);
  } catch (err) {
    return err;
  }
}
