import { ClientClosedError, ClientOfflineError, ErrorReply, SocketClosedUnexpectedlyError } from 'redis';
import { describe, expect, it } from 'vitest';
import { OutcomeUnknownError, StoreError, StoreUnavailableError } from '../errors.js';
import { silentLogger } from '../observability/logger.js';
import { withinDeadline } from './deadline.js';
import { FailFast, NotSentError, toStoreError } from './redis-common.js';

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
  it('answers with the command, and fails a command that never answers with OutcomeUnknownError (it was sent)', async () => {
    const failFast = new FailFast(silentLogger, 50);
    const hung = command<string>();
    const [answered, unanswered] = await Promise.all([
      settled(failFast.call('here', () => Promise.resolve('pong'))),
      settled(failFast.call('here', () => hung.promise)),
    ]);
    expect(answered).toEqual({ ok: true, value: 'pong' });
    expect(unanswered.ok).toBe(false);
    expect((unanswered as { err: unknown }).err).toBeInstanceOf(OutcomeUnknownError);
    expect((unanswered as { err: StoreError }).err.applied).toBe('unknown');
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
        expect((outcome as { err: unknown }).err, `call ${i}`).toBeInstanceOf(OutcomeUnknownError);
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

  it('fails a command that throws before it starts as not applied: it never reached the queue', async () => {
    const failFast = new FailFast(silentLogger, 1000);
    const outcome = await settled(failFast.call('here', () => {
      throw new Error('The client is closed');
    }));
    expect((outcome as { err: unknown }).err).toBeInstanceOf(StoreUnavailableError);
    expect((outcome as { err: StoreError }).err.applied).toBe(false);
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

describe('toStoreError: what a failure says about whether the call was applied', () => {
  const classify = (err: unknown) => {
    const failure = toStoreError(err, 'redis://here');
    return failure instanceof OutcomeUnknownError ? 'unknown' : failure instanceof StoreUnavailableError ? 'not applied' : 'bug';
  };

  it('calls node-redis refused to queue, and calls Remembr refused to route, were not applied', () => {
    expect(classify(new ClientOfflineError())).toBe('not applied');
    expect(classify(new ClientClosedError())).toBe('not applied');
    expect(classify(new Error('The queue is full'))).toBe('not applied');
    expect(classify(new NotSentError('the cluster topology is not known yet'))).toBe('not applied');
  });

  it('replies Redis gives instead of running a call were not applied; any other reply is a bug', () => {
    for (const reply of [
      "OOM command not allowed when used memory > 'maxmemory'.",
      'READONLY You can\'t write against a read only replica.',
      'LOADING Redis is loading the dataset in memory',
      'BUSY Redis is busy running a script.',
      'MISCONF Redis is configured to save RDB snapshots, but it is currently not able to persist on disk.',
      'NOREPLICAS Not enough good replicas to write.',
      'CLUSTERDOWN The cluster is down',
      'TRYAGAIN Multiple keys request during rehashing of slot',
      'MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to \'no\'.',
    ]) {
      expect(classify(new ErrorReply(reply)), reply).toBe('not applied');
    }
    expect(classify(new ErrorReply('WRONGTYPE Operation against a key holding the wrong kind of value'))).toBe('bug');
    expect(classify(new ErrorReply('ERR user_script:3: Script attempted to access nonexistent global variable'))).toBe('bug');
  });

  it('a connection lost under a call leaves it unknown: it may have been written and run', () => {
    expect(classify(new SocketClosedUnexpectedlyError())).toBe('unknown');
    expect(classify(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe('unknown');
  });

  it('keeps a classified failure as it is', () => {
    const known = new OutcomeUnknownError('no answer');
    expect(toStoreError(known, 'elsewhere')).toBe(known);
  });
});

describe('FailFast under one request deadline (withinDeadline)', () => {
  it('gives a later call only what is left, and does not send one started with nothing left', async () => {
    const failFast = new FailFast(silentLogger, 200);
    await withinDeadline(200, async () => {
      const started = performance.now();
      const first = await settled(failFast.call('here', () => command<string>().promise));
      expect((first as { err: unknown }).err).toBeInstanceOf(OutcomeUnknownError);
      let sent = false;
      const second = await settled(
        failFast.call('here', () => {
          sent = true;
          return command<string>().promise;
        }),
      );
      // The first call spent the whole bound: the second is refused at once, unsent, so it is "not applied".
      expect(sent).toBe(false);
      expect((second as { err: unknown }).err).toBeInstanceOf(StoreUnavailableError);
      expect(performance.now() - started).toBeLessThan(400);
    });
  });

  it('expires a call on the request deadline when that comes before its own timeout', async () => {
    const failFast = new FailFast(silentLogger, 10_000);
    const started = performance.now();
    const outcome = await withinDeadline(80, () => settled(failFast.call('here', () => command<string>().promise)));
    expect((outcome as { err: unknown }).err).toBeInstanceOf(OutcomeUnknownError);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
