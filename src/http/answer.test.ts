import type { FastifyReply } from 'fastify';
import { describe, expect, it } from 'vitest';
import { answerWhenDone } from './answer.js';

/** A reply that records what was sent, and resolves once something was. */
function recordingReply() {
  let sent!: (payload: unknown) => void;
  const payload = new Promise<unknown>((resolve) => (sent = resolve));
  return { reply: { send: (value: unknown) => sent(value) } as unknown as FastifyReply, payload };
}

describe('answerWhenDone', () => {
  it('sends the answer made from the result', async () => {
    const { reply, payload } = recordingReply();
    answerWhenDone(reply, Promise.resolve(2), (n) => ({ doubled: n * 2 }));
    expect(await payload).toEqual({ doubled: 4 });
  });

  it('sends the failure, mapped when a mapping is given', async () => {
    const plain = recordingReply();
    const boom = new Error('boom');
    answerWhenDone(plain.reply, Promise.reject(boom), () => 'never');
    expect(await plain.payload).toBe(boom);
    const mapped = recordingReply();
    answerWhenDone(mapped.reply, Promise.reject(boom), () => 'never', (err) => new Error(`mapped: ${(err as Error).message}`));
    expect(((await mapped.payload) as Error).message).toBe('mapped: boom');
  });

  it('sends what the answer or the mapping throws, leaving no rejection unhandled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const fromAnswer = recordingReply();
      answerWhenDone(fromAnswer.reply, Promise.resolve(1), () => {
        throw new Error('answer failed');
      });
      expect(((await fromAnswer.payload) as Error).message).toBe('answer failed');
      const fromMapping = recordingReply();
      answerWhenDone(fromMapping.reply, Promise.reject(new Error('boom')), () => 'never', () => {
        throw new Error('mapping failed');
      });
      expect(((await fromMapping.payload) as Error).message).toBe('mapping failed');
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
