import { randomUUID } from 'node:crypto';
import { assertTtl } from '../cache/cache-service.js';
import { CapacityError, ValidationError } from '../errors.js';
import { assertId, LONG_TERM_TTL, SHORT_TERM_TTL } from '../keys.js';
import { silentLogger, type Logger } from '../observability/logger.js';
import { Metrics } from '../observability/metrics.js';
import { sessionKeys } from '../sessions/session-keys.js';
import { IDEMPOTENCY_TTL, onceFor, runOnce, type IdempotencyOptions } from '../idempotency/once.js';
import type { Reply, Store } from '../store/port.js';
import {
  appendMessageScript,
  createCheckpointScript,
  listCheckpointsScript,
  readWindowScript,
  restoreCheckpointScript,
  type CheckpointInfo,
  type StoredMessage,
} from './memory-scripts.js';
import { countTokens, TOKEN_ENCODINGS, type TokenEncoding } from './tokens.js';

export const MESSAGE_ROLES = ['system', 'user', 'assistant', 'tool'] as const;
export type MessageRole = (typeof MESSAGE_ROLES)[number];

export interface Message {
  id: string;
  role: MessageRole;
  content: string;
  /** Tokens of `content` in the window's encoding. */
  tokens: number;
  /** ISO-8601, UTC. */
  createdAt: string;
}

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

export interface ConversationWindow {
  /** Oldest first, system messages in their place among the others. */
  messages: Message[];
  tokenUsage: TokenUsage;
}

export interface Checkpoint {
  checkpointId: string;
  createdAt: string;
  messageCount: number;
}

export interface ShortTermMemoryOptions {
  logger?: Logger;
  metrics?: Metrics;
  /** Token budget of one window, in `tokenEncoding` tokens. @default 4000 */
  maxTokens?: number;
  /** The encoding tokens are counted in. @default 'cl100k_base' */
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
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

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
  readonly #ttlMs: number;
  readonly #checkpointTtlMs: number;
  readonly #maxCheckpoints: number;
  readonly #idempotencyTtlSeconds: number;

  constructor(store: Store, options: ShortTermMemoryOptions = {}) {
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
   * Appends a message. Rejects with ValidationError for an unknown role or content that is not a string or too
   * large, and with CapacityError, changing nothing, when the message cannot fit the budget even after every
   * non-system message is evicted. Null when the session is not there. With an idempotency key, a retry answers
   * with the first attempt's outcome (the same message id) and the message is in the window once.
   */
  async append(
    userId: string,
    sessionId: string,
    input: { role: MessageRole; content: string },
    options?: IdempotencyOptions,
  ): Promise<AppendResult | null> {
    const role = input?.role;
    if (!MESSAGE_ROLES.includes(role)) {
      throw new ValidationError(`role must be one of ${MESSAGE_ROLES.join(', ')}`, 'role');
    }
    const content = input.content;
    if (typeof content !== 'string') throw new ValidationError('content must be a string', 'content');
    const bytes = Buffer.byteLength(content, 'utf8');
    if (bytes > this.#maxMessageBytes) {
      throw new ValidationError(`content is ${bytes} bytes; at most ${this.#maxMessageBytes} are accepted`, 'content');
    }
    if (LONE_SURROGATE.test(content)) {
      throw new ValidationError('content is not valid Unicode (it has an unpaired surrogate)', 'content');
    }
    const keys = sessionKeys(userId, sessionId);
    const tokens = await countTokens(content, this.#encoding);
    if (tokens > this.#maxTokens) {
      this.#countAppend('too_large');
      throw new CapacityError(`content is ${tokens} tokens, more than the whole window budget of ${this.#maxTokens}`, 'content');
    }
    const once = onceFor(options, userId, 'memory.append', { sessionId, role, content }, this.#idempotencyTtlSeconds);
    const ran = await runOnce(
      this.#store,
      appendMessageScript,
      [keys.session, keys.systemMessages, keys.conversation, keys.windowState],
      [randomUUID(), role, content, tokens, new Date().toISOString(), this.#maxTokens, this.#ttlMs],
      once,
    );
    // The id and time the message was stored with: the first attempt's on a replay.
    const [id, , , , createdAt] = ran.args as [string, string, string, string, string];
    const reply = ran.reply as [status: number, ...rest: Reply[]];
    if (reply[0] === 0) return null;
    if (reply[0] === -1) {
      this.#countAppend('no_room');
      throw new CapacityError(
        `the window's system messages hold ${reply[1]} of ${this.#maxTokens} tokens, leaving no room for ${tokens} more`,
        'content',
      );
    }
    const [, , used, evicted] = reply as [number, number, number, string[]];
    if (!ran.replayed) {
      this.#countAppend('ok');
      this.#metrics.increment('remembr_memory_tokens_appended_total', {}, tokens, 'Tokens of the messages appended to short-term windows');
    }
    if (evicted.length > 0 && !ran.replayed) {
      this.#metrics.increment('remembr_memory_evicted_messages_total', {}, evicted.length, 'Messages evicted from short-term windows to stay within budget');
      this.#logger.debug({ sessionId, evicted: evicted.length }, 'Short-term window evicted messages');
    }
    return {
      message: { id, role, content, tokens, createdAt },
      tokenUsage: this.#usage(used),
      evicted: [...evicted],
    };
  }

  /** The window, oldest message first; null when the session is not there. */
  async read(userId: string, sessionId: string): Promise<ConversationWindow | null> {
    const keys = sessionKeys(userId, sessionId);
    const reply = (await this.#store.run(
      readWindowScript,
      [keys.session, keys.systemMessages, keys.conversation, keys.windowState],
      [this.#ttlMs],
    )) as [number, string[], string[]] | null;
    if (reply === null) return null;
    const [used, system, conversation] = reply;
    return { messages: mergeBySequence(system, conversation), tokenUsage: this.#usage(used) };
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

  #usage(used: number): TokenUsage {
    return { used, max: this.#maxTokens, percentage: Math.round((used / this.#maxTokens) * 1000) / 10 };
  }

  #countAppend(outcome: string): void {
    this.#metrics.increment('remembr_memory_appends_total', { outcome }, 1, 'Short-term memory appends by outcome');
  }
}

function positive(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new ValidationError(`${field} must be a positive whole number (got ${String(value)})`, field);
  }
  return value;
}

function toMessage(text: string): StoredMessage {
  return JSON.parse(text) as StoredMessage;
}

/** Both lists are in sequence order already; one pass puts the window back in the order it was written. */
function mergeBySequence(system: string[], conversation: string[]): Message[] {
  const a = system.map(toMessage);
  const b = conversation.map(toMessage);
  const merged: Message[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const next = j >= b.length || (i < a.length && a[i]!.seq < b[j]!.seq) ? a[i++]! : b[j++]!;
    merged.push({ id: next.id, role: next.role as MessageRole, content: next.content, tokens: next.tokens, createdAt: next.created_at });
  }
  return merged;
}
