import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { AbortError, ClientClosedError, ClientOfflineError, ErrorReply } from 'redis';
import type { Logger } from 'pino';
import { OutcomeUnknownError, StoreError, StoreUnavailableError } from '../errors.js';
import { currentDeadline } from './deadline.js';
import type { CallTiming, Reply, Script } from './port.js';

/**
 * What RedisStore (one server) and RedisClusterStore (a cluster) share: how a connection is set up, how a call
 * is bounded and its failure classified, how an outage is logged, how a script is sent, and how closing is bounded.
 */

/**
 * Redis answers these instead of running a command it cannot take now, so nothing of it was applied. That holds
 * for scripts too because every script is flagged (see script.ts): Redis then checks memory, replicas, a
 * read-only replica and a failed disk before the script starts, instead of failing it half-way at its first write.
 * Any other error reply is a bug of ours.
 */
const REFUSAL_REPLIES = /^(OOM|LOADING|BUSY|READONLY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|MISCONF|NOREPLICAS)\b/;

/**
 * A call Remembr refused to send (the cluster's topology is not known yet, say): like node-redis's own
 * ClientOfflineError, it never left this process.
 */
export class NotSentError extends Error {
  override name = 'NotSentError';
}

export interface SocketSettings {
  connectTimeoutMs: number;
  /** PEM file of a CA to trust (self-signed `rediss://` servers). */
  tlsCaFile?: string;
  /** Accept a server certificate nobody vouches for. */
  tlsInsecure?: boolean;
}

/** Quick first retries so a blip heals fast, then once a second while Redis stays away. */
export function reconnectDelay(retries: number): number {
  return Math.min(50 * 2 ** retries, 1000);
}

/** node-redis socket options for a connection to `url`: connect timeout, background reconnects, TLS for `rediss:`. */
export function socketOptions(url: string, settings: SocketSettings) {
  const secure = url.startsWith('rediss:');
  return {
    connectTimeout: settings.connectTimeoutMs,
    reconnectStrategy: reconnectDelay,
    ...(secure
      ? {
          tls: true as const,
          ca: settings.tlsCaFile ? readFileSync(settings.tlsCaFile) : undefined,
          rejectUnauthorized: !settings.tlsInsecure,
        }
      : {}),
  };
}

/**
 * The fail-fast rules around every call: a deadline of `commandTimeoutMs`, an outage turned into
 * StoreUnavailableError (nothing applied) or OutcomeUnknownError (sent, no answer: see toStoreError), and one
 * log line when a place (a server, or one node of a cluster) stops answering and one when it answers again,
 * however many calls fail in between.
 */
export class FailFast {
  readonly commandTimeoutMs: number;
  readonly #logger: Logger;
  /** Places whose last word was a failure. */
  readonly #down = new Set<string>();
  /** Set while closing: the failures closing causes are no outage worth a line. */
  closing = false;

  constructor(logger: Logger, commandTimeoutMs: number) {
    this.#logger = logger;
    this.commandTimeoutMs = commandTimeoutMs;
  }

  markDown(where: string, err: unknown): void {
    if (this.#retired.has(where)) return;
    if (!this.#down.has(where) && !this.closing) this.#logger.warn({ redis: where, err: safeMessage(err) }, 'Redis connection lost');
    this.#down.add(where);
  }

  markUp(where: string): void {
    // Every answer passes here: while nothing is down or retired, that costs two size checks.
    if (this.#retired.size !== 0) this.#retired.delete(where);
    if (this.#down.size !== 0 && this.#down.delete(where)) this.#logger.info({ redis: where }, 'Redis connection restored');
  }

  /** Places that left the topology while down (a cluster node replaced by its replica): never "restored". */
  readonly #retired = new Set<string>();

  /**
   * `where` is no place to call any more (another node took over its work): its outage ends without a "restored"
   * line, and a late failure of a call that was already on its way there opens no new one. True when it was down.
   */
  retire(where: string): boolean {
    this.#retired.add(where);
    return this.#down.delete(where);
  }

  /** `where` is a place to call again (a node back in the topology): its failures count again. */
  reinstate(where: string): void {
    this.#retired.delete(where);
  }

  /**
   * Calls waiting for an answer, in the order they started, from `#head` on (answered ones are marked, and
   * dropped as the head passes them). Every call gets the same timeout, so the oldest always expires first and one
   * timer for it serves them all: a busy store pays an array push and a flag per call instead of a timer of its own
   * and a Promise.race, and arms a timer only when calls start from idle.
   */
  #waiting: Waiting[] = [];
  #head = 0;
  /** Calls in `#waiting` not answered yet. */
  #open = 0;
  #sweep: NodeJS.Timeout | undefined;

  /**
   * Runs one call to `where` under the deadline. node-redis's own `timeout` only covers the wait before a command
   * is written: once on the wire, a command to a Redis that hangs (or a network that drops packets without a
   * reset) would wait for ever. The deadline answers the caller; the command itself stays on its connection until
   * Redis replies or the connection dies, so a write that timed out may still land: the caller gets
   * OutcomeUnknownError, never "not applied".
   */
  call<T>(where: string, start: () => Promise<T>, timing?: CallTiming): Promise<T> {
    // One clock read serves the deadline, the request's deadline and the latency `timing` records.
    const startedAt = performance.now();
    // Inside a request's deadline (see deadline.ts) a call gets what is left of it, and nothing is sent without time.
    const deadline = currentDeadline();
    if (deadline !== undefined) {
      const leftMs = deadline - startedAt;
      if (leftMs <= 0) {
        const refused = new StoreUnavailableError(`Redis at ${where} was not asked: the request's ${this.commandTimeoutMs} ms were spent`);
        timing?.failed(0, refused);
        return Promise.reject(refused);
      }
      if (leftMs < this.commandTimeoutMs - 1) return this.#callWithin(where, start, leftMs, startedAt, timing);
    }
    const pending = begin(start);
    return new Promise<T>((resolve, reject) => {
      const waiting: Waiting = { expiresAt: startedAt + this.commandTimeoutMs, done: false, where, reject, startedAt, timing };
      this.#waiting.push(waiting);
      this.#open++;
      this.#sweep ??= this.#armSweep(this.commandTimeoutMs);
      // After the deadline nobody waits for the answer: a late one is dropped, a late failure too (never unhandled).
      pending.then(
        (result) => {
          if (!this.#settle(waiting)) return;
          timing?.observe((performance.now() - startedAt) / 1000);
          this.markUp(where);
          resolve(result);
        },
        (err: unknown) => {
          if (this.#settle(waiting)) reject(this.#failure(where, err, startedAt, timing));
        },
      );
    });
  }

  /**
   * A call with less time than the shared timer's (the later calls of a request): its own timer, since the queue's
   * one timer relies on every call in it having the same timeout. Rare, so the cost of a timer does not matter.
   */
  #callWithin<T>(where: string, start: () => Promise<T>, ms: number, startedAt: number, timing: CallTiming | undefined): Promise<T> {
    const pending = begin(start);
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const timer = setTimeout(() => {
        done = true;
        reject(this.#failure(where, new DeadlineError(Math.ceil(ms)), startedAt, timing));
      }, Math.max(1, Math.ceil(ms)));
      pending.then(
        (result) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          timing?.observe((performance.now() - startedAt) / 1000);
          this.markUp(where);
          resolve(result);
        },
        (err: unknown) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          reject(this.#failure(where, err, startedAt, timing));
        },
      );
    });
  }

  /** False when the call had already expired. With nothing left waiting, no timer is left to hold the process. */
  #settle(waiting: Waiting): boolean {
    if (waiting.done) return false;
    waiting.done = true;
    if (--this.#open === 0) {
      this.#waiting = [];
      this.#head = 0;
      if (this.#sweep !== undefined) clearTimeout(this.#sweep);
      this.#sweep = undefined;
      return true;
    }
    // Answers come back about in order, so the head keeps up and answered calls are let go young (cheap to collect).
    const queue = this.#waiting;
    while (this.#head < queue.length && queue[this.#head]!.done) this.#head++;
    if (this.#head >= 1024 && this.#head * 2 >= queue.length) {
      this.#waiting = queue.slice(this.#head);
      this.#head = 0;
    }
    return true;
  }

  /** The error a failed call rejects with; a timed call records its time and its failure. */
  #failure(where: string, err: unknown, startedAt: number, timing: CallTiming | undefined): unknown {
    const failure = toStoreError(err, where);
    if (failure instanceof StoreError) this.markDown(where, err);
    timing?.failed((performance.now() - startedAt) / 1000, failure);
    return failure;
  }

  #armSweep(ms: number): NodeJS.Timeout {
    return setTimeout(() => {
      this.#sweep = undefined;
      const now = performance.now();
      const queue = this.#waiting;
      for (; this.#head < queue.length; this.#head++) {
        const waiting = queue[this.#head]!;
        if (waiting.done) continue;
        if (waiting.expiresAt > now) {
          this.#sweep = this.#armSweep(waiting.expiresAt - now);
          return;
        }
        waiting.done = true;
        this.#open--;
        waiting.reject(this.#failure(waiting.where, new DeadlineError(this.commandTimeoutMs), waiting.startedAt, waiting.timing));
      }
      // Walked to the end: every call is answered or expired.
      this.#waiting = [];
      this.#head = 0;
    }, Math.max(1, Math.ceil(ms)));
  }
}

/** A call under FailFast's deadline. */
interface Waiting {
  readonly expiresAt: number;
  /** Answered, failed or expired: either way nobody is waiting any more. */
  done: boolean;
  readonly where: string;
  readonly reject: (err: unknown) => void;
  readonly startedAt: number;
  readonly timing: CallTiming | undefined;
}

/** The deadline passed with the call still unanswered. */
class DeadlineError extends Error {
  override name = 'DeadlineError';
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

/**
 * Sorts a failure by what it says about the call:
 * - never sent: node-redis refuses a command before queueing it when its connection is closed or not ready
 *   (`disableOfflineQueue`), and Remembr refuses one it cannot route (NotSentError);
 * - refused: Redis answered with one of REFUSAL_REPLIES before running it;
 * - unknown: the deadline passed, or the connection broke, while the call was queued or on the wire. node-redis
 *   moves a command to its waiting-for-reply queue as it writes it and rejects both queues with the same socket
 *   error, so a call lost with its connection cannot be told apart from one Redis already ran: it is unknown.
 * The first two become StoreUnavailableError, the last OutcomeUnknownError; any other error reply is a bug and
 * stays itself.
 */
export function toStoreError(err: unknown, where: string): unknown {
  if (err instanceof StoreError) return err;
  if (err instanceof ErrorReply) {
    if (!REFUSAL_REPLIES.test(err.message)) return err;
    return new StoreUnavailableError(`Redis at ${where} refused the call: ${safeMessage(err)}`, { cause: err });
  }
  if (neverSent(err)) return new StoreUnavailableError(`Redis at ${where} is unavailable: ${safeMessage(err)}`, { cause: err });
  return new OutcomeUnknownError(`Redis at ${where} did not answer: ${safeMessage(err)}`, { cause: err });
}

function neverSent(err: unknown): boolean {
  return (
    err instanceof ClientOfflineError ||
    err instanceof ClientClosedError ||
    err instanceof AbortError ||
    err instanceof NotSentError ||
    // node-redis's queue limit (maxCommandsQueueLength), checked before the command is queued.
    (err instanceof Error && err.message === 'The queue is full')
  );
}

/** The error's own words, with anything shaped like a URL credential removed. */
/** Starts a call. A throw before node-redis returned a promise means the command never reached its queue. */
function begin<T>(start: () => Promise<T>): Promise<T> {
  try {
    return start();
  } catch (err) {
    return Promise.reject(err instanceof ErrorReply ? err : new NotSentError(safeMessage(err), { cause: err }));
  }
}

export function safeMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\/\/[^@\s/]*@/g, '//***@');
}

/**
 * EVALSHA, and after a restart, failover or SCRIPT FLUSH (the server forgot the script) the source once with EVAL.
 * `send` writes one raw command where the script's keys live.
 */
export function runScript(
  send: (command: string[]) => Promise<unknown>,
  script: Script,
  keys: string[],
  args: Array<string | number>,
): Promise<Reply> {
  // Every script call passes here: one array for the command, and no async function (its promises) around it.
  const command = ['EVALSHA', script.sha, String(keys.length)];
  for (const key of keys) command.push(key);
  for (const arg of args) command.push(String(arg));
  return (send(command) as Promise<Reply>).then(undefined, (err: unknown) => {
    if (!(err instanceof ErrorReply && err.message.startsWith('NOSCRIPT'))) throw err;
    return send(['EVAL', script.lua, ...command.slice(2)]) as Promise<Reply>;
  });
}

/** What `promise` resolves to, or `onTimeout` when it takes longer than `ms`. */
export async function within<T, F>(promise: Promise<T>, ms: number, onTimeout: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<F>((resolve) => {
    timer = setTimeout(() => resolve(onTimeout), ms);
  });
  try {
    return await Promise.race([promise, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Closes gracefully (in-flight commands finish), but never waits longer than `ms`: a connection whose Redis never
 * answered still holds a connection attempt that would otherwise keep close() pending for ever.
 */
export async function closeWithin(ms: number, close: () => Promise<unknown>, destroy: () => void): Promise<void> {
  const gracefully = close().then(
    () => true,
    () => false,
  );
  if (!(await within(gracefully, ms, false))) destroy();
}
