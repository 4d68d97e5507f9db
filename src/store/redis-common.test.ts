import { ErrorReply } from 'redis';
import { describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../errors.js';
import { silentLogger } from '../observability/logger.js';
import { FailFast } from './redis-common.js';

/** A command whose answer the test decides. */
function command<T>() {
  let answer!: (value: T) => void;
  let fail!: (err: unknown) => void;
  const promise = new Promise<T>((resolve, reject) => {
    answer = resolve;
    fail = reject;
  });
  return { promise, answer, fail };
}

const settled = <T>(promise: Promise<T>) =>
  promise.then(
    (value) => ({ ok: true as const, value }),
    (err: unknown) => ({ ok: false as const, err }),
  );

const timeouts = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

describe('FailFast.call', () => {
  it('answers with the command, and fails a command that never answers with StoreUnavailableError', async () => {
    const failFast = new FailFast(silentLogger, 50);
    const hung = command<string>();
    const [answered, unanswered] = await Promise.all([
      settled(failFast.call('here', () => Promise.resolve('pong'))),
      settled(failFast.call('here', () => hung.promise)),
    ]);
    expect(answered).toEqual({ ok: true, value: 'pong' });
    expect(unanswered.ok).toBe(false);
    expect((unanswered as { err: unknown }).err).toBeInstanceOf(StoreUnavailableError);
    expect(String((unanswered as { err: Error }).err.message)).toContain('no answer within 50 ms');
    // A late answer, or a late failure, changes nothing and surfaces nowhere.
    hung.fail(new Error('the socket closed at last'));
  });

  it('expires each unanswered call however the others answer, out of order, across many calls', async () => {
    const failFast = new FailFast(silentLogger, 80);
    const commands = Array.from({ length: 3000 }, () => command<number>());
    const calls = commands.map((c) => settled(failFast.call('here', () => c.promise)));
    const hung = new Set([10, 1500, 2999]);
    // Answer the rest in a shuffled order, so answers pass the oldest calls and leave gaps behind them.
    const order = commands.map((_, i) => i).filter((i) => !hung.has(i));
    for (let i = order.length - 1; i > 0; i--) {
      const j = (i * 7919) % (i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    order.forEach((i, step) => (step % 2 === 0 ? commands[i]!.answer(i) : commands[i]!.fail(new ErrorReply('ERR wrong type'))));
    const outcomes = await Promise.all(calls);
    outcomes.forEach((outcome, i) => {
      if (hung.has(i)) {
        expect((outcome as { err: unknown }).err, `call ${i}`).toBeInstanceOf(StoreUnavailableError);
      } else if (order.indexOf(i) % 2 === 0) {
        expect(outcome, `call ${i}`).toEqual({ ok: true, value: i });
      } else {
        // A Redis error that is no outage is the caller's bug and stays itself.
        expect((outcome as { err: unknown }).err, `call ${i}`).toBeInstanceOf(ErrorReply);
      }
    });
  });

  it('expires a call started while an older one is still waiting, on its own deadline', async () => {
    const failFast = new FailFast(silentLogger, 60);
    const first = settled(failFast.call('here', () => command<number>().promise));
    await new Promise((resolve) => setTimeout(resolve, 30));
    const second = settled(failFast.call('here', () => command<number>().promise));
    expect((await first).ok).toBe(false);
    expect((await second).ok).toBe(false);
  });

  it('fails a command that throws before it starts, like one that rejects', async () => {
    const failFast = new FailFast(silentLogger, 1000);
    const outcome = await settled(failFast.call('here', () => {
      throw new Error('The client is closed');
    }));
    expect((outcome as { err: unknown }).err).toBeInstanceOf(StoreUnavailableError);
  });

  it('leaves no timer behind once every call is answered, so a process can exit', async () => {
    const failFast = new FailFast(silentLogger, 60_000);
    const before = timeouts();
    const pending = [command<number>(), command<number>()];
    const calls = pending.map((c) => failFast.call('here', () => c.promise));
    expect(timeouts()).toBeGreaterThan(before);
    pending.forEach((c, i) => c.answer(i));
    expect(await Promise.all(calls)).toEqual([0, 1]);
    expect(timeouts()).toBe(before);
  });
});
