import { randomUUID } from 'node:crypto';
import { encodeJson } from '../cache/json.js';
import { assertTtl } from '../cache/cache-service.js';
import { CapacityError, ValidationError } from '../errors.js';
import { assertId, LONG_TERM_TTL, SESSION_TTL, SHORT_TERM_TTL } from '../keys.js';
import { silentLogger, type Logger } from '../observability/logger.js';
import { Metrics, type Counter } from '../observability/metrics.js';
import { IDEMPOTENCY_TTL, onceFor, runOnce, type IdempotencyOptions } from '../idempotency/once.js';
import { TOKEN_ENCODINGS, type TokenEncoding } from '../memory/tokens.js';
import type { Reply, Store } from '../store/port.js';
import { getWithTtlScript, readPairs } from '../store/store-scripts.js';
import { ownedKeys, sessionIndexKey, sessionKey, sessionKeys } from './session-keys.js';
import {
  createSessionScript,
  deleteSessionsScript,
  patchMetadataScript,
  refreshSessionScript,
  sessionIndexScript,
} from './session-scripts.js';

export type SessionMetadata = Record<string, unknown>;

export interface Session {
  sessionId: string;
  userId: string;
  agentId: string;
  metadata: SessionMetadata;
  /**
   * The encoding its window counts tokens in: the one chosen at creation, else the configured default
   * (`SessionStoreOptions.tokenEncoding`, which the composition root sets to the window's TOKEN_ENCODING).
   */
  tokenEncoding: TokenEncoding;
  /** ISO-8601, UTC. */
  createdAt: string;
  /** Whole seconds until the session expires unless refreshed. */
  expiresIn: number;
}

/** What a new session is made of. */
export interface SessionInput {
  agentId: string;
  metadata?: SessionMetadata;
  /** Count this session's window in this encoding rather than the configured one (a model family of its own). */
  tokenEncoding?: TokenEncoding;
}

export interface SessionStoreOptions {
  logger?: Logger;
  metrics?: Metrics;
  /** How long a session lives after its creation or last refresh. @default SESSION_TTL (3600) */
  ttlSeconds?: number;
  /** The short-term window's TTL, which a refresh extends the window to (never past the session). @default SHORT_TERM_TTL (1800) */
  windowTtlSeconds?: number;
  /**
   * How long the user's index remembers a session after it expired, so `deleteAll` still clears checkpoints that
   * outlive it. Keep it at least as long as checkpoints live. @default LONG_TERM_TTL (86400)
   */
  retainExpiredSeconds?: number;
  /**
   * Largest metadata, as JSON, in bytes: at creation and after every patch. A merge patch may be twice as large,
   * enough to delete every member of a full metadata. @default MAX_METADATA_BYTES (16384)
   */
  maxMetadataBytes?: number;
  /** Sessions removed per script call in `deleteAll`, so one user's many sessions never block Redis for long. @default 100 */
  deleteBatchSize?: number;
  /** How long an idempotency record is kept. @default IDEMPOTENCY_TTL */
  idempotencyTtlSeconds?: number;
  /**
   * The encoding reported for a session created without one: set it to the ShortTermMemory's `tokenEncoding`,
   * which is what such a session's window counts in. @default 'cl100k_base'
   */
  tokenEncoding?: TokenEncoding;
}

/** What is stored under the session key; the TTL is the key's own. */
interface StoredSession {
  sessionId: string;
  userId: string;
  agentId: string;
  metadata: SessionMetadata;
  createdAt: string;
  /** Only when chosen at creation: a session without one follows the configured encoding. */
  tokenEncoding?: TokenEncoding;
}

/** The largest session metadata by default, in bytes of JSON (16 KiB). */
export const MAX_METADATA_BYTES = 16 * 1024;
/** Objects nested deeper than this in a metadata patch are refused: the merge recurses once per level. */
export const MAX_PATCH_DEPTH = 32;

/** Session ids read from the store per MGET in `list`. */
const LIST_READ_BATCH = 200;

/**
 * The guide's session management as a component: sessions of a user with a sliding TTL, each owning a short-term
 * window and checkpoints (see ShortTermMemory) that go when it goes. A user's sessions are found through a
 * per-user index, never by scanning the keyspace, and every key of one user shares that user's hash tag.
 *
 * Sessions are state, not a cache: when the store fails, the operation rejects with a StoreError rather
 * than pretending a session is missing or was saved. A session of another user is indistinguishable from a
 * missing one: every key is built from the caller's own user id.
 */
export class SessionStore {
  readonly #store: Store;
  readonly #logger: Logger;
  readonly #metrics: Metrics;
  readonly #ttlMs: number;
  readonly #windowTtlMs: number;
  readonly #retainMs: number;
  readonly #maxMetadataBytes: number;
  readonly #deleteBatchSize: number;
  readonly #idempotencyTtlSeconds: number;
  readonly #expired: Counter;
  readonly #defaultEncoding: TokenEncoding;

  constructor(store: Store, options: SessionStoreOptions = {}) {
    this.#store = store;
    this.#logger = options.logger ?? silentLogger;
    this.#metrics = options.metrics ?? new Metrics();
    this.#ttlMs = assertTtl(options.ttlSeconds ?? SESSION_TTL, 'ttlSeconds') * 1000;
    this.#windowTtlMs = assertTtl(options.windowTtlSeconds ?? SHORT_TERM_TTL, 'windowTtlSeconds') * 1000;
    this.#retainMs = assertTtl(options.retainExpiredSeconds ?? LONG_TERM_TTL, 'retainExpiredSeconds') * 1000;
    this.#maxMetadataBytes = positiveWhole(options.maxMetadataBytes ?? MAX_METADATA_BYTES, 'maxMetadataBytes');
    this.#deleteBatchSize = options.deleteBatchSize ?? 100;
    this.#idempotencyTtlSeconds = assertTtl(options.idempotencyTtlSeconds ?? IDEMPOTENCY_TTL, 'idempotencyTtlSeconds');
    this.#defaultEncoding = assertEncoding(options.tokenEncoding ?? 'cl100k_base', 'tokenEncoding');
    // Declared up front, so the series reads 0 until the first expiry instead of being absent.
    this.#expired = this.#metrics.counter(
      'remembr_session_expirations_total',
      {},
      'Expired sessions dropped from their user\'s index (retainExpiredSeconds after expiry), not Redis key expiries',
    );
  }

  /** Seconds a new or refreshed session lives. */
  get ttlSeconds(): number {
    return this.#ttlMs / 1000;
  }

  /** With an idempotency key, a retry answers with the session the first attempt created instead of a second one. */
  async create(userId: string, input: SessionInput, options?: IdempotencyOptions): Promise<Session> {
    const agentId = assertId(input?.agentId, 'agent_id');
    const tokenEncoding = input.tokenEncoding === undefined ? undefined : assertEncoding(input.tokenEncoding, 'tokenEncoding');
    const metadata = input.metadata ?? {};
    if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
      throw new ValidationError('metadata must be a JSON object', 'metadata');
    }
    const session: StoredSession = {
      sessionId: randomUUID(),
      userId: assertId(userId, 'user_id'),
      agentId,
      metadata,
      createdAt: new Date().toISOString(),
    };
    if (tokenEncoding !== undefined) session.tokenEncoding = tokenEncoding;
    let text: string;
    try {
      text = encodeJson(session);
    } catch (err) {
      throw new ValidationError(`metadata cannot be stored as JSON: ${(err as Error).message}`, 'metadata');
    }
    const metadataBytes = Buffer.byteLength(JSON.stringify(metadata), 'utf8');
    if (metadataBytes > this.#maxMetadataBytes) {
      throw new ValidationError(`metadata is ${metadataBytes} bytes as JSON; at most ${this.#maxMetadataBytes} are accepted`, 'metadata');
    }
    const keys = sessionKeys(userId, session.sessionId);
    const once = onceFor(options, userId, 'session.create', { agentId, metadata, tokenEncoding }, this.#idempotencyTtlSeconds);
    const { args, reply, replayed } = await runOnce(this.#store, createSessionScript, [keys.session, sessionIndexKey(userId)], [
      session.sessionId,
      text,
      this.#ttlMs,
      this.#retainMs,
    ], once);
    // A record written before the reply carried the pruned count holds a bare 1.
    const [created, pruned] = Array.isArray(reply) ? (reply as [number, number]) : [reply, 0];
    // A random UUID that is already taken means something other than chance is at work.
    if (created !== 1) throw new Error('A new session id collided with an existing session');
    // A replay answers with the session the first attempt stored (its id and time), not the one made just now.
    const stored = replayed ? (JSON.parse(args[1]!) as StoredSession) : session;
    if (!replayed) {
      this.#count('create');
      this.#countExpired(Number(pruned));
      this.#logger.debug({ userId, sessionId: session.sessionId }, 'Session created');
    }
    return { ...stored, tokenEncoding: stored.tokenEncoding ?? this.#defaultEncoding, expiresIn: this.ttlSeconds };
  }

  /** The session with its remaining lifetime, or null when it is missing, expired, or another user's. */
  get(userId: string, sessionId: string): Promise<Session | null> {
    let key: string;
    try {
      key = sessionKey(userId, sessionId);
    } catch (err) {
      return Promise.reject(err);
    }
    // The store's own read of a value with its TTL, which its client cache (when on) can answer. Not an async
    // function: a read of a session is a hot path, and each promise costs the request scope's storage a copy.
    return this.#store.run(getWithTtlScript, [key], []).then((reply) => {
      const [[text, ttlMs]] = readPairs(reply) as [[string | null, number]];
      return text === null ? null : fromStored(text, ttlMs, this.#defaultEncoding);
    });
  }

  /** Extends the session (and its window) to the full TTL; null when it is missing or expired. */
  async refresh(userId: string, sessionId: string): Promise<Session | null> {
    const keys = sessionKeys(userId, sessionId);
    const reply = await this.#store.run(
      refreshSessionScript,
      [keys.session, sessionIndexKey(userId), keys.systemMessages, keys.conversation, keys.windowState, keys.evicted],
      [sessionId, this.#ttlMs, this.#retainMs, this.#windowTtlMs],
    );
    const session = toSession(reply, this.#defaultEncoding);
    if (session) this.#count('refresh');
    return session;
  }

  /**
   * Deletes the session with its window and checkpoints, in one step. False when it was not there. With an
   * idempotency key, a retry after an unknown outcome answers true when the first attempt deleted it.
   */
  async delete(userId: string, sessionId: string, options?: IdempotencyOptions): Promise<boolean> {
    const keys = sessionKeys(userId, sessionId);
    const once = onceFor(options, userId, 'session.delete', { sessionId }, this.#idempotencyTtlSeconds);
    const { reply, replayed } = await runOnce(this.#store, deleteSessionsScript, [sessionIndexKey(userId), ...ownedKeys(keys)], [sessionId], once);
    if (reply === 1 && !replayed) this.#count('delete');
    return reply === 1;
  }

  /**
   * Applies a JSON Merge Patch (RFC 7386) to the session's metadata, atomically, and returns the session as it is
   * now: a member set to null is removed, an object merges into an object member by member, anything else (an
   * array too) replaces the member. Concurrent patches of different members all land. The patch must be a JSON
   * object (the metadata is one; RFC 7386 would have any other patch replace it whole), nested at most
   * MAX_PATCH_DEPTH deep, and as JSON at most twice `maxMetadataBytes`: ValidationError otherwise. CapacityError,
   * changing nothing, when the merged metadata would exceed `maxMetadataBytes`. The session's TTL is unchanged
   * (a patch is not a refresh). Null when the session is missing, expired, or another user's. With an idempotency
   * key, a retry answers with the first attempt's session and the patch is applied once.
   */
  async patchMetadata(userId: string, sessionId: string, patch: SessionMetadata, options?: IdempotencyOptions): Promise<Session | null> {
    const keys = sessionKeys(userId, sessionId);
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
      throw new ValidationError('a metadata patch must be a JSON object (a JSON Merge Patch, RFC 7386): the metadata is an object, and any other patch would replace it whole', 'metadata');
    }
    let text: string;
    try {
      text = encodeJson(patch);
    } catch (err) {
      throw new ValidationError(`the metadata patch cannot be sent as JSON: ${(err as Error).message}`, 'metadata');
    }
    const patchBytes = Buffer.byteLength(text, 'utf8');
    if (patchBytes > 2 * this.#maxMetadataBytes) {
      throw new ValidationError(`the metadata patch is ${patchBytes} bytes as JSON; at most ${2 * this.#maxMetadataBytes} are accepted`, 'metadata');
    }
    if (objectDepth(patch, 0) > MAX_PATCH_DEPTH) {
      throw new ValidationError(`the metadata patch nests objects more than ${MAX_PATCH_DEPTH} deep`, 'metadata');
    }
    const once = onceFor(options, userId, 'session.patchMetadata', { sessionId, patch }, this.#idempotencyTtlSeconds);
    const { reply, replayed } = await runOnce(this.#store, patchMetadataScript, [keys.session], [text, this.#maxMetadataBytes], once);
    const [status, ...rest] = reply as [number, ...Reply[]];
    if (status === 0) return null;
    if (status === -1) {
      throw new CapacityError(`the patched metadata would be ${String(rest[0])} bytes as JSON; at most ${this.#maxMetadataBytes} are kept, so nothing was changed`, 'metadata');
    }
    if (!replayed) this.#count('patch');
    return toSession(rest, this.#defaultEncoding);
  }

  /** The user's live sessions, soonest to expire first. */
  async list(userId: string): Promise<Session[]> {
    const { now, entries } = await this.#readIndex(userId, 'live', -1);
    const sessions: Session[] = [];
    for (let start = 0; start < entries.length; start += LIST_READ_BATCH) {
      const batch = entries.slice(start, start + LIST_READ_BATCH);
      const values = await this.#store.getMany(batch.map(({ sessionId }) => sessionKey(userId, sessionId)));
      values.forEach((text, i) => {
        // A session deleted or expired since the index was read is simply not listed.
        if (text === null) return;
        const expiresInMs = batch[i]!.expiresAt - now;
        if (expiresInMs > 0) sessions.push(fromStored(text, expiresInMs, this.#defaultEncoding));
      });
    }
    return sessions;
  }

  /**
   * Deletes every session of the user, with their windows and checkpoints, a batch at a time, and returns how many
   * live sessions went. Only keys under the user's own hash tag are touched. Sessions created while it runs may
   * survive it.
   */
  async deleteAll(userId: string): Promise<number> {
    const indexKey = sessionIndexKey(userId);
    let deleted = 0;
    for (;;) {
      // Expired sessions are included: their checkpoints can outlive them.
      const { entries } = await this.#readIndex(userId, 'all', this.#deleteBatchSize);
      if (entries.length === 0) break;
      const ids = entries.map(({ sessionId }) => sessionId);
      const keys = ids.flatMap((id) => ownedKeys(sessionKeys(userId, id)));
      deleted += Number(await this.#store.run(deleteSessionsScript, [indexKey, ...keys], ids));
    }
    this.#count('delete', deleted);
    this.#logger.debug({ userId, deleted }, 'All sessions of a user deleted');
    return deleted;
  }

  async #readIndex(userId: string, which: 'live' | 'all', limit: number): Promise<{ now: number; entries: Array<{ sessionId: string; expiresAt: number }> }> {
    const reply = (await this.#store.run(sessionIndexScript, [sessionIndexKey(userId)], [this.#retainMs, which, limit])) as [number, string[], number];
    const [now, flat, pruned] = reply;
    this.#countExpired(Number(pruned));
    const entries: Array<{ sessionId: string; expiresAt: number }> = [];
    for (let i = 0; i < flat.length; i += 2) entries.push({ sessionId: flat[i]!, expiresAt: Number(flat[i + 1]) });
    return { now: Number(now), entries };
  }

  #count(operation: string, by = 1): void {
    this.#metrics.increment('remembr_session_operations_total', { operation }, by, 'Session operations that changed a session');
  }

  /**
   * Expired sessions the service saw go: ids dropped from a user's index once their session had been expired for
   * retainExpiredSeconds, by the next create, list or deleteAll of that user (see the README's metrics table).
   */
  #countExpired(pruned: number): void {
    this.#expired.inc(pruned);
  }
}

function positiveWhole(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new ValidationError(`${field} must be a positive whole number (got ${String(value)})`, field);
  return value;
}

/** How deep objects nest in a JSON value (arrays are values a patch replaces whole, but count all the same). */
function objectDepth(value: unknown, depth: number): number {
  if (typeof value !== 'object' || value === null) return depth;
  if (depth > MAX_PATCH_DEPTH) return depth;
  let deepest = depth + 1;
  for (const item of Object.values(value)) deepest = Math.max(deepest, objectDepth(item, depth + 1));
  return deepest;
}

function toSession(reply: Reply, defaultEncoding: TokenEncoding): Session | null {
  if (reply === null) return null;
  const [text, ttlMs] = reply as [string, number];
  return fromStored(text, ttlMs, defaultEncoding);
}

function fromStored(text: string, ttlMs: number, defaultEncoding: TokenEncoding): Session {
  const stored = JSON.parse(text) as StoredSession;
  return {
    sessionId: stored.sessionId,
    userId: stored.userId,
    agentId: stored.agentId,
    metadata: stored.metadata,
    tokenEncoding: stored.tokenEncoding ?? defaultEncoding,
    createdAt: stored.createdAt,
    // Rounded up: a session with 200 ms left is still there, and says so.
    expiresIn: Math.max(1, Math.ceil(ttlMs / 1000)),
  };
}

/** The encoding a stored session chose at creation; undefined when it chose none, so the configured one applies. */
export function chosenEncoding(text: string): TokenEncoding | undefined {
  const chosen = (JSON.parse(text) as Partial<StoredSession>).tokenEncoding;
  return chosen !== undefined && TOKEN_ENCODINGS.includes(chosen) ? chosen : undefined;
}

function assertEncoding(value: unknown, field: string): TokenEncoding {
  if (!TOKEN_ENCODINGS.includes(value as TokenEncoding)) {
    throw new ValidationError(`${field} must be one of ${TOKEN_ENCODINGS.join(', ')} (got ${String(JSON.stringify(value)).slice(0, 40)})`, field);
  }
  return value as TokenEncoding;
}
