import { randomUUID } from 'node:crypto';
import { assertTtl } from '../cache/cache-service.js';
import { CapacityError, ConflictError, ValidationError } from '../errors.js';
import { assertId, LONG_TERM_TTL, SHORT_TERM_TTL } from '../keys.js';
import { silentLogger, type Logger } from '../observability/logger.js';
import { Metrics, type Counter } from '../observability/metrics.js';
import { sessionKeys, type SessionKeys } from '../sessions/session-keys.js';
import { chosenEncoding } from '../sessions/session-store.js';
import { IDEMPOTENCY_TTL, onceFor, runOnce, type IdempotencyOptions, type Once } from '../idempotency/once.js';
import type { Reply, Store } from '../store/port.js';
import {
  appendMessagesScript,
  clearWindowScript,
  createCheckpointScript,
  listCheckpointsScript,
  commitSummaryScript,
  deleteMessagesScript,
  readEvictedScript,
  readWindowScript,
  restoreCheckpointScript,
  type CheckpointInfo,
  type StoredMessage,
} from './memory-scripts.js';
import { checkMessage, MESSAGE_LIMITS, type CheckedMessage, type Message, type MessageInput, type MessageRole } from './messages.js';
import { countTokens, countTokensNow, countTokensOf, TOKEN_ENCODINGS, type TokenEncoding } from './tokens.js';

export { MESSAGE_ROLES } from './messages.js';
export type { Message, MessageInput, MessageRole } from './messages.js';

export interface TokenUsage {
  used: number;
  max: number;
  /** `used` as a percentage of `max`, to one decimal. */
  percentage: number;
}

export interface AppendResult {
  message: Message;
  tokenUsage: TokenUsage;
  /** Ids of the messages evicted to make room, oldest first. */
  evicted: string[];
}

export interface AppendTurnResult {
  /** The turn's messages as stored, in order. */
  messages: Message[];
  tokenUsage: TokenUsage;
  /** Ids of the messages evicted to make room, oldest first. */
  evicted: string[];
}

export interface ConversationWindow {
  /** Oldest first, system messages in their place among the others. */
  messages: Message[];
  /** The running summary of evicted messages, or null; its tokens count in `tokenUsage`. */
  summary: string | null;
  tokenUsage: TokenUsage;
}

/** What a summarizer folds: the summary so far and the evicted messages it has not covered yet, oldest first. */
export interface EvictedMessages {
  summary: string | null;
  /** Pass it back to commitSummary: a commit over a summary that moved on since is refused. */
  summaryVersion: number;
  messages: Message[];
}

export interface SummaryCommit {
  summaryVersion: number;
  tokenUsage: TokenUsage;
  /** Ids of messages the new summary's tokens pushed out of the window into the buffer, oldest first. */
  evicted: string[];
}

/** A summarizer: whatever turns the previous summary and the evicted messages into the next summary (a model call). */
export type Summarize = (input: { previousSummary: string | null; messages: Message[] }) => Promise<string>;

export interface Checkpoint {
  checkpointId: string;
  createdAt: string;
  messageCount: number;
}

const APPENDS_HELP = 'Short-term memory appends by outcome';

/** Sessions whose keys and encoding one ShortTermMemory remembers (a few MiB at most). */
const SESSION_ENCODINGS_KEPT = 10_000;

/** What an append needs of a session before it runs: its keys, and the encoding its window counts tokens in. */
interface KnownWindow {
  userId: string;
  keys: SessionKeys;
  encoding: TokenEncoding;
}

type CountedMessage = CheckedMessage & { tokens: number; prefix: string };

export interface ShortTermMemoryOptions {
  logger?: Logger;
  metrics?: Metrics;
  /** Token budget of one window, in `tokenEncoding` tokens. @default 4000 */
  maxTokens?: number;
  /** The encoding tokens are counted in, for a session that chose none at creation. @default 'cl100k_base' */
  tokenEncoding?: TokenEncoding;
  /** Largest message content in bytes (UTF-8). @default 32768 */
  maxMessageBytes?: number;
  /** How long a window lives after its last read or write (never past its session). @default SHORT_TERM_TTL (1800) */
  ttlSeconds?: number;
  /** How long a checkpoint is kept. @default LONG_TERM_TTL (86400) */
  checkpointTtlSeconds?: number;
  /** Checkpoints kept per session; saving one more drops the oldest. @default 20 */
  maxCheckpoints?: number;
  /** How long an idempotency record is kept. @default IDEMPOTENCY_TTL */
  idempotencyTtlSeconds?: number;
  /** Evicted messages kept for summarizing; past it the oldest are dropped (and counted). @default 1000 */
  maxEvictedMessages?: number;
  /**
   * Folds evicted messages into the window's running summary. Run after an append that evicted, off the caller's
   * path (the append does not wait for it); a failure or timeout leaves the buffer as it was for the next try.
   */
  summarize?: Summarize;
  /** How long one summarize call may take. @default 30000 */
  summarizeTimeoutMs?: number;
}

/**
 * The short-term memory of a session: its recent messages within a token budget. When an append goes over the
 * budget the oldest non-system messages are evicted; system messages stay. Every operation is one atomic script
 * that first checks the session is live, so a window exists only under a live session of its own user, concurrent
 * appends all land exactly once, and a failed read changes nothing.
 *
 * Like sessions, a window is state rather than a cache: a store failure rejects with a StoreError.
 * Methods resolve to null when the session is missing, expired, or another user's.
 */
export class ShortTermMemory {
  readonly #store: Store;
  readonly #logger: Logger;
  readonly #metrics: Metrics;
  readonly #maxTokens: number;
  readonly #maxMessageBytes: number;
  readonly #encoding: TokenEncoding;
  /** Session id → its user, its keys and the encoding its window counts in (see #knownWindow), oldest dropped first. */
  readonly #windows = new Map<string, KnownWindow>();
  readonly #ttlMs: number;
  readonly #checkpointTtlMs: number;
  readonly #maxCheckpoints: number;
  readonly #idempotencyTtlSeconds: number;

  readonly #maxEvicted: number;
  readonly #summarize: Summarize | undefined;
  readonly #summarizeTimeoutMs: number;
  /** Sessions this instance is summarizing now: one run at a time per session. */
  readonly #summarizing = new Set<string>();
  /**
   * The series every successful append counts in, bound at their first count (so a series shows once it has
   * counted something, as with increment): three increments, each sorting label names and finding its series,
   * were a visible share of an append's own time.
   */
  #appended: { ok: Counter; tokens: Counter } | undefined;
  #evictedCounter: Counter | undefined;

  constructor(store: Store, options: ShortTermMemoryOptions = {}) {
    this.#maxEvicted = positive(options.maxEvictedMessages ?? 1000, 'maxEvictedMessages');
    this.#summarize = options.summarize;
    this.#summarizeTimeoutMs = positive(options.summarizeTimeoutMs ?? 30_000, 'summarizeTimeoutMs');
    this.#store = store;
    this.#logger = options.logger ?? silentLogger;
    this.#metrics = options.metrics ?? new Metrics();
    this.#maxTokens = positive(options.maxTokens ?? 4000, 'maxTokens');
    this.#maxMessageBytes = positive(options.maxMessageBytes ?? 32 * 1024, 'maxMessageBytes');
    this.#encoding = options.tokenEncoding ?? 'cl100k_base';
    if (!TOKEN_ENCODINGS.includes(this.#encoding)) {
      throw new ValidationError(`tokenEncoding must be one of ${TOKEN_ENCODINGS.join(', ')}`, 'tokenEncoding');
    }
    this.#ttlMs = assertTtl(options.ttlSeconds ?? SHORT_TERM_TTL, 'ttlSeconds') * 1000;
    this.#checkpointTtlMs = assertTtl(options.checkpointTtlSeconds ?? LONG_TERM_TTL, 'checkpointTtlSeconds') * 1000;
    this.#maxCheckpoints = positive(options.maxCheckpoints ?? 20, 'maxCheckpoints');
    this.#idempotencyTtlSeconds = assertTtl(options.idempotencyTtlSeconds ?? IDEMPOTENCY_TTL, 'idempotencyTtlSeconds');
  }

  get maxTokens(): number {
    return this.#maxTokens;
  }

  /**
   * Appends one message; see appendTurn for what is refused. Null when the session is not there. With an
   * idempotency key, a retry answers with the first attempt's outcome (the same message id) and the message is in
   * the window once.
   */
  async append(userId: string, sessionId: string, input: MessageInput, options?: IdempotencyOptions): Promise<AppendResult | null> {
    const valid = checkMessage(input, this.#maxMessageBytes, '');
    const window = this.#knownWindow(userId, sessionId) ?? (await this.#windowOf(userId, sessionId));
    const counting = this.#counted([valid], [''], window.encoding);
    const checked = counting instanceof Promise ? await counting : counting;
    const once = onceFor(options, userId, 'memory.append', { sessionId, message: checked[0]!.input }, this.#idempotencyTtlSeconds);
    const appended = await this.#appendChecked(userId, sessionId, window.keys, checked, once);
    if (appended === null) return null;
    return { message: appended.messages[0]!, tokenUsage: appended.tokenUsage, evicted: appended.evicted };
  }

  /**
   * Appends a turn — the messages one step of an agent loop produced, such as an assistant message with tool calls
   * and their results — in order and all or nothing, so concurrent turns never interleave. Rejects, changing
   * nothing, with ValidationError naming the field for a malformed message or a tool message that answers no open
   * tool call in the window; with ConflictError for any other message while an assistant message's tool calls are
   * unanswered (a model refuses such a sequence); and with CapacityError when the turn's last unit cannot fit the
   * budget even after every other non-system message is evicted. Null when the session is not there. With an
   * idempotency key, a retry answers with the first attempt's outcome and the turn is in the window once.
   */
  async appendTurn(userId: string, sessionId: string, inputs: MessageInput[], options?: IdempotencyOptions): Promise<AppendTurnResult | null> {
    if (!Array.isArray(inputs) || inputs.length < 1 || inputs.length > MESSAGE_LIMITS.turnMessages) {
      throw new ValidationError(`messages must be an array of 1 to ${MESSAGE_LIMITS.turnMessages} messages`, 'messages');
    }
    const prefixes = inputs.map((_, i) => `messages[${i}]`);
    const valid = inputs.map((input, i) => checkMessage(input, this.#maxMessageBytes, prefixes[i]));
    const window = this.#knownWindow(userId, sessionId) ?? (await this.#windowOf(userId, sessionId));
    const counting = this.#counted(valid, prefixes, window.encoding);
    const checked = counting instanceof Promise ? await counting : counting;
    const once = onceFor(options, userId, 'memory.appendTurn', { sessionId, messages: checked.map((c) => c.input) }, this.#idempotencyTtlSeconds);
    return this.#appendChecked(userId, sessionId, window.keys, checked, once);
  }

  /**
   * The session's keys and the encoding its window counts in: its own when it chose one at creation, else
   * `tokenEncoding`. A session's choice never changes and its id is never reused, so once read it is remembered,
   * with its keys (building them checks both ids and joins seven strings, a visible share of an append).
   * A session that is not there is not remembered: the write's script finds it missing and answers so.
   */
  #knownWindow(userId: string, sessionId: string): KnownWindow | undefined {
    // Keyed by the session id alone, the string the caller passes each time (its hash is kept with it), where a key
    // joined from both ids would be a new string to hash on every append.
    const known = this.#windows.get(sessionId);
    return known?.userId === userId ? known : undefined;
  }

  async #windowOf(userId: string, sessionId: string): Promise<KnownWindow> {
    const keys = sessionKeys(userId, sessionId);
    const text = await this.#store.get(keys.session);
    if (text === null) return { userId, keys, encoding: this.#encoding };
    const window = { userId, keys, encoding: chosenEncoding(text) ?? this.#encoding };
    if (this.#windows.size >= SESSION_ENCODINGS_KEPT) this.#windows.delete(this.#windows.keys().next().value!);
    this.#windows.set(sessionId, window);
    return window;
  }

  /**
   * The messages with their tokens, counted without a promise when they can be (short texts, the encoder loaded):
   * then the answer is the list itself, not a promise of it, so the append awaits nothing for it (each promise is
   * also a copy of the request's async context, in the service). Throws, or rejects, for a message too large.
   */
  #counted(messages: CheckedMessage[], prefixes: string[], encoding: TokenEncoding): CountedMessage[] | Promise<CountedMessage[]> {
    const counted: CountedMessage[] = [];
    let pending: Array<Promise<void>> | undefined;
    for (let i = 0; i < messages.length; i++) {
      const { input, texts, bytes } = messages[i]!;
      const prefix = prefixes[i]!;
      const tokens = countTokensNow(texts, encoding);
      if (tokens !== undefined) counted.push({ input, texts, bytes, tokens, prefix });
      else {
        counted.push({ input, texts, bytes, tokens: 0, prefix });
        (pending ??= []).push(countTokensOf(texts, encoding).then((later) => void (counted[i]!.tokens = later)));
      }
    }
    if (pending !== undefined) return Promise.all(pending).then(() => this.#withinBudget(counted));
    return this.#withinBudget(counted);
  }

  /** Every message too large for the whole budget is counted in the metrics; the first one is the error. */
  #withinBudget(counted: CountedMessage[]): CountedMessage[] {
    let tooLarge: CountedMessage | undefined;
    for (const message of counted) {
      if (message.tokens <= this.#maxTokens) continue;
      this.#countAppend('too_large');
      tooLarge ??= message;
    }
    if (tooLarge !== undefined) {
      const { prefix, tokens } = tooLarge;
      throw new CapacityError(`${prefix || 'the message'} is ${tokens} tokens, more than the whole window budget of ${this.#maxTokens}`, prefix || 'content');
    }
    return counted;
  }

  async #appendChecked(
    userId: string,
    sessionId: string,
    keys: SessionKeys,
    turn: CountedMessage[],
    once: Once | undefined,
  ): Promise<AppendTurnResult | null> {
    const createdAt = isoNow();
    const args: Array<string | number> = [this.#maxTokens, this.#ttlMs, turn.length, this.#maxEvicted];
    const built: Message[] = [];
    for (const { input, tokens } of turn) {
      const message = storedShape(randomUUID(), input, tokens, createdAt);
      built.push(message);
      args.push(input.role, tokens, encodeStored(message), input.toolCalls ? JSON.stringify(input.toolCalls.map((call) => call.id)) : '', input.toolCallId ?? '');
    }
    const ran = await runOnce(this.#store, appendMessagesScript, [keys.session, keys.systemMessages, keys.conversation, keys.windowState, keys.evicted], args, once);
    const reply = ran.reply as [status: number, ...rest: Reply[]];
    // The messages as stored: with the first attempt's ids and time on a replay. Otherwise the ones built here,
    // unless a message carries what JSON may not give back as it was given (metadata, content parts).
    const messages = turn.map((_, i) =>
      !ran.replayed && typeof built[i]!.content === 'string' && built[i]!.metadata === undefined
        ? built[i]!
        : decodeStored(ran.args[4 + 5 * i + 2]!),
    );
    if (reply[0] === 0) return null;
    if (reply[0] === -1) {
      this.#countAppend('no_room');
      const [, system, needed] = reply as [number, number, number];
      throw new CapacityError(
        `the window's system messages hold ${system} of ${this.#maxTokens} tokens, leaving no room for the ${needed} tokens of the newest turn` +
          (turn.at(-1)!.input.role === 'tool' ? ' (an assistant message with its tool results is evicted as one; shorten the result, or delete the assistant message)' : ''),
        turn.length > 1 ? 'messages' : 'content',
      );
    }
    if (reply[0] === -2) {
      const [, index, callId, open] = reply as [number, number, string, string];
      const calls = parseIds(open);
      const field = at(turn[index - 1]!.prefix, 'toolCallId');
      this.#countAppend('bad_turn');
      throw new ValidationError(
        `${field} ${JSON.stringify(callId)} answers no open tool call in the window ` +
          (calls.length > 0 ? `(open calls: ${calls.join(', ')})` : '(no assistant message is waiting for tool results)'),
        field,
      );
    }
    if (reply[0] === -3) {
      const [, index, open] = reply as [number, number, string];
      this.#countAppend('turn_open');
      throw new ConflictError(
        `the window's last assistant message waits for the results of tool calls ${parseIds(open).join(', ')}: ` +
          'append a tool message for each (or delete that assistant message) before any other message',
        at(turn[index - 1]!.prefix, 'role'),
      );
    }
    const [, , used, evicted, dropped] = reply as [number, number, number, string[], number];
    if (Number(dropped) > 0) {
      this.#metrics.increment('remembr_memory_evicted_dropped_total', {}, Number(dropped), 'Evicted messages dropped unsummarized from a full eviction buffer');
      this.#logger.warn({ sessionId, dropped: Number(dropped) }, 'Eviction buffer full: the oldest unsummarized messages were dropped');
    }
    if (evicted.length > 0 && !ran.replayed && this.#summarize) this.#scheduleSummary(userId, sessionId);
    if (!ran.replayed) {
      const counters = (this.#appended ??= this.#appendCounters());
      counters.ok.inc();
      let tokens = 0;
      for (const message of turn) tokens += message.tokens;
      counters.tokens.inc(tokens);
      if (evicted.length > 0) {
        (this.#evictedCounter ??= this.#metrics.counter('remembr_memory_evicted_messages_total', {}, 'Messages evicted from short-term windows to stay within budget')).inc(
          evicted.length,
        );
        this.#logger.debug({ sessionId, evicted: evicted.length }, 'Short-term window evicted messages');
      }
    }
    return { messages, tokenUsage: this.#usage(used), evicted: [...evicted] };
  }

  /**
   * The window, oldest message first; null when the session is not there. `last` keeps the newest N messages,
   * `after` the messages after the one with that id (a cursor); both can be given. An `after` id that is not in
   * the window (evicted, deleted, never there) is a ValidationError naming it, so a reader never skips silently.
   * Token usage is always the whole window's.
   */
  async read(userId: string, sessionId: string, range: { last?: number; after?: string } = {}): Promise<ConversationWindow | null> {
    if (range.last !== undefined && (!Number.isSafeInteger(range.last) || range.last < 1)) {
      throw new ValidationError('last must be a whole number of messages, at least 1', 'last');
    }
    const keys = this.#knownWindow(userId, sessionId)?.keys ?? sessionKeys(userId, sessionId);
    const reply = (await this.#store.run(
      readWindowScript,
      [keys.session, keys.systemMessages, keys.conversation, keys.windowState],
      [this.#ttlMs],
    )) as [number, string[], string[], string | null, number] | null;
    if (reply === null) return null;
    const [used, system, conversation, summary] = reply;
    let messages = mergeBySequence(system, conversation);
    if (range.after !== undefined) {
      const at = messages.findIndex((message) => message.id === range.after);
      if (at < 0) throw new ValidationError(`after: message ${JSON.stringify(range.after)} is not in the window (evicted, deleted, or never there)`, 'after');
      messages = messages.slice(at + 1);
    }
    if (range.last !== undefined) messages = messages.slice(-range.last);
    return { messages, summary: summary ?? null, tokenUsage: this.#usage(used) };
  }

  /**
   * Deletes one message, or with `messageId` undefined clears the window (its summary and eviction buffer too),
   * keeping the session. A message of a tool-calling unit takes the whole unit (the assistant message and its
   * results), so the window stays a valid model input. Resolves to the deleted ids; null when the session is not
   * there, or the message is not in the window.
   */
  async delete(userId: string, sessionId: string, messageId?: string): Promise<string[] | null> {
    const keys = sessionKeys(userId, sessionId);
    const reply = (await this.#store.run(
      deleteMessagesScript,
      [keys.session, keys.systemMessages, keys.conversation, keys.windowState, keys.evicted],
      [messageId === undefined ? '' : assertId(messageId, 'message_id'), this.#ttlMs],
    )) as [number, string[]?];
    return reply[0] === 1 ? [...reply[1]!] : null;
  }

  /** The running summary and the evicted messages it does not cover yet; null when the session is not there. */
  async evicted(userId: string, sessionId: string): Promise<EvictedMessages | null> {
    const keys = sessionKeys(userId, sessionId);
    const reply = (await this.#store.run(readEvictedScript, [keys.session, keys.windowState, keys.evicted], [])) as [string | null, number, string[]] | null;
    if (reply === null) return null;
    const [summary, version, buffer] = reply;
    return { summary: summary ?? null, summaryVersion: Number(version), messages: buffer.map(decodeStored) };
  }

  /**
   * Replaces the running summary with one that covers the buffer up to and including message `throughId`, and
   * takes those messages out of the buffer, in one step. Refused with ConflictError, changing nothing, when the
   * summary is no longer version `summaryVersion` or `throughId` is not in the buffer (another summarizer got there
   * first); messages evicted meanwhile stay buffered. CapacityError when the summary does not fit beside the system
   * messages and the unanswered tool calls. Null when the session is not there. With an idempotency key, a retry
   * answers with the first attempt's outcome (not the 409 a second commit over the moved-on summary would get)
   * and the summary is committed once.
   */
  async commitSummary(
    userId: string,
    sessionId: string,
    commit: { summary: string; throughId: string; summaryVersion: number },
    options?: IdempotencyOptions,
  ): Promise<SummaryCommit | null> {
    if (typeof commit?.summary !== 'string') throw new ValidationError('summary must be a string', 'summary');
    const summary = checkMessage({ role: 'system', content: commit.summary }, this.#maxMessageBytes, '').texts[0]!;
    const throughId = assertId(commit.throughId, 'throughId');
    if (!Number.isSafeInteger(commit.summaryVersion) || commit.summaryVersion < 0) {
      throw new ValidationError('summaryVersion must be the whole number read with the buffer', 'summaryVersion');
    }
    const tokens = await countTokens(summary, (this.#knownWindow(userId, sessionId) ?? (await this.#windowOf(userId, sessionId))).encoding);
    const keys = sessionKeys(userId, sessionId);
    const once = onceFor(options, userId, 'memory.commitSummary', { sessionId, summary, throughId, summaryVersion: commit.summaryVersion }, this.#idempotencyTtlSeconds);
    const reply = (
      await runOnce(
        this.#store,
        commitSummaryScript,
        [keys.session, keys.systemMessages, keys.conversation, keys.windowState, keys.evicted],
        [summary, tokens, throughId, commit.summaryVersion, this.#maxTokens, this.#ttlMs],
        once,
      )
    ).reply as [number, ...Reply[]];
    if (reply[0] === 0) return null;
    if (reply[0] === -1) {
      throw new ConflictError(`the summary is at version ${String(reply[1])}, not ${commit.summaryVersion}: read the buffer again and summarize that`, 'summaryVersion');
    }
    if (reply[0] === -2) {
      throw new ConflictError(`message ${throughId} is not in the eviction buffer (already summarized, or never evicted): read the buffer again`, 'throughId');
    }
    if (reply[0] === -3) {
      throw new CapacityError(`the summary is ${tokens} tokens; beside the system messages and unanswered tool calls it does not fit the budget of ${this.#maxTokens}`, 'summary');
    }
    const [, version, used, moved] = reply as [number, number, number, string[]];
    return { summaryVersion: Number(version), tokenUsage: this.#usage(used), evicted: [...moved] };
  }

  /**
   * Runs the summarizer over the buffer and commits, after the append that called it has answered. Messages evicted
   * while it runs stay buffered for the next run; a failed, late or refused run changes nothing.
   */
  #scheduleSummary(userId: string, sessionId: string): void {
    const key = `${userId}\u0000${sessionId}`;
    if (this.#summarizing.has(key)) return;
    this.#summarizing.add(key);
    // Until the buffer is empty: messages evicted during a run, or moved out by the new summary, get the next one.
    const run = async () => {
      for (let round = 0; round < 5; round++) {
        const committed = await this.summarizeNow(userId, sessionId);
        if (committed === null) return;
      }
    };
    setImmediate(() => {
      run()
        .catch((err: unknown) => {
          this.#metrics.increment('remembr_memory_summaries_total', { outcome: 'failed' }, 1, 'Summaries of evicted messages by outcome');
          this.#logger.warn({ sessionId, err: err instanceof Error ? err.message : String(err) }, 'Summarizing evicted messages failed; the buffer is kept');
        })
        .finally(() => this.#summarizing.delete(key));
    });
  }

  /**
   * Folds the eviction buffer into the running summary with the `summarize` option, now: what runs on its own after
   * an append that evicts. Resolves to the commit, or null when there was nothing to fold or no session. Rejects
   * when the summarizer fails or times out, or the commit is refused; the buffer is then as it was.
   */
  async summarizeNow(userId: string, sessionId: string): Promise<SummaryCommit | null> {
    const summarize = this.#summarize;
    if (summarize === undefined) throw new ValidationError('no summarize option was given to ShortTermMemory', 'summarize');
    const buffered = await this.evicted(userId, sessionId);
    if (buffered === null || buffered.messages.length === 0) return null;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`summarize took over ${this.#summarizeTimeoutMs} ms`)), this.#summarizeTimeoutMs);
    });
    try {
      const summary = await Promise.race([summarize({ previousSummary: buffered.summary, messages: buffered.messages }), timeout]);
      const committed = await this.commitSummary(userId, sessionId, {
        summary,
        throughId: buffered.messages.at(-1)!.id,
        summaryVersion: buffered.summaryVersion,
      });
      this.#metrics.increment('remembr_memory_summaries_total', { outcome: 'committed' }, 1, 'Summaries of evicted messages by outcome');
      return committed;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Saves the window as it is now; null when the session is not there. With an idempotency key, saved once. */
  async checkpoint(userId: string, sessionId: string, options?: IdempotencyOptions): Promise<Checkpoint | null> {
    const keys = sessionKeys(userId, sessionId);
    const once = onceFor(options, userId, 'memory.checkpoint', { sessionId }, this.#idempotencyTtlSeconds);
    const { args, reply: count } = await runOnce(
      this.#store,
      createCheckpointScript,
      [keys.session, keys.systemMessages, keys.conversation, keys.windowState, keys.checkpoints, keys.snapshots],
      [randomUUID(), new Date().toISOString(), this.#checkpointTtlMs, this.#maxCheckpoints, this.#ttlMs],
      once,
    );
    if (count === null) return null;
    const [checkpointId, createdAt] = args as [string, string];
    return { checkpointId, createdAt, messageCount: Number(count) };
  }

  /** The session's checkpoints, oldest first; null when the session is not there. */
  async listCheckpoints(userId: string, sessionId: string): Promise<Checkpoint[] | null> {
    const keys = sessionKeys(userId, sessionId);
    const reply = (await this.#store.run(listCheckpointsScript, [keys.session, keys.checkpoints, keys.snapshots], [])) as string[] | null;
    if (reply === null) return null;
    const found: Array<{ checkpointId: string; info: CheckpointInfo }> = [];
    for (let i = 0; i < reply.length; i += 2) found.push({ checkpointId: reply[i]!, info: JSON.parse(reply[i + 1]!) as CheckpointInfo });
    found.sort((a, b) => a.info.expires_at - b.info.expires_at || a.info.seq - b.info.seq);
    return found.map(({ checkpointId, info }) => ({ checkpointId, createdAt: info.created_at, messageCount: info.message_count }));
  }

  /**
   * Replaces the window with a checkpoint in one step. Null when the session or the checkpoint is not there
   * (an expired checkpoint is not there). With an idempotency key, a retry does not restore again over messages
   * appended since the first attempt.
   */
  async restore(
    userId: string,
    sessionId: string,
    checkpointId: string,
    options?: IdempotencyOptions,
  ): Promise<{ restoredMessageCount: number } | null> {
    const keys = sessionKeys(userId, sessionId);
    const once = onceFor(options, userId, 'memory.restore', { sessionId, checkpointId }, this.#idempotencyTtlSeconds);
    const reply = (
      await runOnce(
        this.#store,
        restoreCheckpointScript,
        [keys.session, keys.systemMessages, keys.conversation, keys.windowState, keys.checkpoints, keys.snapshots],
        [assertId(checkpointId, 'checkpoint_id'), this.#ttlMs],
        once,
      )
    ).reply as [number, number?];
    if (reply[0] !== 1) return null;
    this.#logger.debug({ sessionId, checkpointId }, 'Short-term window restored from a checkpoint');
    return { restoredMessageCount: Number(reply[1]) };
  }

  /**
   * Empties the window (a chat history's `clear`); the session, its TTL and its checkpoints stay. False when the
   * session is not there.
   */
  async clear(userId: string, sessionId: string): Promise<boolean> {
    const keys = sessionKeys(userId, sessionId);
    const cleared = await this.#store.run(clearWindowScript, [keys.session, keys.systemMessages, keys.conversation, keys.windowState], []);
    return cleared === 1;
  }

  #usage(used: number): TokenUsage {
    return { used, max: this.#maxTokens, percentage: Math.round((used / this.#maxTokens) * 1000) / 10 };
  }

  #appendCounters(): { ok: Counter; tokens: Counter } {
    return {
      ok: this.#metrics.counter('remembr_memory_appends_total', { outcome: 'ok' }, APPENDS_HELP),
      tokens: this.#metrics.counter('remembr_memory_tokens_appended_total', {}, 'Tokens of the messages appended to short-term windows'),
    };
  }

  #countAppend(outcome: string): void {
    this.#metrics.increment('remembr_memory_appends_total', { outcome }, 1, APPENDS_HELP);
  }
}

function positive(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new ValidationError(`${field} must be a positive whole number (got ${String(value)})`, field);
  }
  return value;
}

let isoMillisecond = Number.NaN;
let isoText = '';

/** The time as ISO-8601, formatted once per millisecond: appends under load share their milliseconds. */
function isoNow(): string {
  const now = Date.now();
  if (now !== isoMillisecond) {
    isoMillisecond = now;
    isoText = new Date(now).toISOString();
  }
  return isoText;
}

/** A new message with its fields in the order decodeStored gives them, so a fresh one and a read one look alike. */
function storedShape(id: string, input: MessageInput, tokens: number, createdAt: string): Message {
  const message: Message = { id, role: input.role, content: input.content, tokens, createdAt };
  if (input.toolCalls !== undefined) message.toolCalls = input.toolCalls;
  if (input.toolCallId !== undefined) message.toolCallId = input.toolCallId;
  if (input.name !== undefined) message.name = input.name;
  if (input.metadata !== undefined) message.metadata = input.metadata;
  return message;
}

/**
 * The stored JSON text of a message: its header fields first, in the order the scripts read them. Joined by hand,
 * as JSON.stringify of a StoredMessage would write it: the header's values need no escaping (a whole number, a
 * UUID, an ISO time, a role), and only what the caller gave goes through JSON.stringify.
 */
function encodeStored(message: Message): string {
  let text = `{"tokens":${message.tokens},"id":"${message.id}","created_at":"${message.createdAt}","role":"${message.role}","content":${JSON.stringify(message.content)}`;
  if (message.toolCalls !== undefined) text += `,"tool_calls":${JSON.stringify(message.toolCalls)}`;
  if (message.toolCallId !== undefined) text += `,"tool_call_id":${JSON.stringify(message.toolCallId)}`;
  if (message.name !== undefined) text += `,"name":${JSON.stringify(message.name)}`;
  if (message.metadata !== undefined) text += `,"metadata":${JSON.stringify(message.metadata)}`;
  return `${text}}`;
}

/** A stored message as the window answers it: without the script's seq and unit. */
function decodeStored(text: string): Message {
  return messageOf(JSON.parse(text) as StoredMessage);
}

/** Built field by field, never by copying without seq: a rest-spread copy per message was a visible share of a read. */
function messageOf(stored: StoredMessage): Message {
  const message: Message = {
    id: stored.id,
    role: stored.role as MessageRole,
    content: stored.content as Message['content'],
    tokens: stored.tokens,
    createdAt: stored.created_at,
  };
  if (stored.tool_calls !== undefined) message.toolCalls = stored.tool_calls;
  if (stored.tool_call_id !== undefined) message.toolCallId = stored.tool_call_id;
  if (stored.name !== undefined) message.name = stored.name;
  if (stored.metadata !== undefined) message.metadata = stored.metadata;
  return message;
}

const at = (prefix: string, field: string) => (prefix ? `${prefix}.${field}` : field);

/** A JSON list of ids from a script; Lua's cjson writes an empty one as `{}`. */
function parseIds(text: string | undefined): string[] {
  const value: unknown = text ? JSON.parse(text) : [];
  return Array.isArray(value) ? (value as string[]) : [];
}

/** Both lists are in sequence order already; one pass puts the window back in the order it was written. */
function mergeBySequence(system: string[], conversation: string[]): Message[] {
  if (system.length === 0) return conversation.map(decodeStored);
  const a = system.map((text) => JSON.parse(text) as StoredMessage);
  const b = conversation.map((text) => JSON.parse(text) as StoredMessage);
  const merged: Message[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    merged.push(messageOf(j >= b.length || (i < a.length && a[i]!.seq < b[j]!.seq) ? a[i++]! : b[j++]!));
  }
  return merged;
}
