import type { RunnableConfig } from '@langchain/core/runnables';
import {
  BaseCheckpointSaver,
  TASKS,
  WRITES_IDX_MAP,
  compareWritesSortKeys,
  copyCheckpoint,
  getCheckpointId,
  maxChannelVersion,
  writesSortKey,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointListOptions,
  type CheckpointMetadata,
  type CheckpointPendingWrite,
  type CheckpointTuple,
  type PendingWrite,
  type SerializerProtocol,
} from '@langchain/langgraph-checkpoint';
import { assertTtl, LONG_TERM_TTL, ValidationError, type Store } from '../index.js';
import {
  allThreadIndexes,
  assertScope,
  blobField,
  checkpointMember,
  namespaceRange,
  parseMember,
  threadKeys,
  threadOfIndexKey,
  writeField,
  type ThreadKeys,
} from './checkpoint-keys.js';
import { putCheckpointScript, putWritesScript, readCheckpointsScript } from './checkpoint-scripts.js';

export interface RemembrSaverOptions {
  /** Remembr's store: `remembr.store`, a RedisStore, a RedisClusterStore or a MemoryStore. */
  store: Store;
  /**
   * How long a thread's keys live after its last write (and after its last read with `refreshOnRead`). Every key
   * of a thread gets this TTL in the same script, so no part of a thread outlives the rest. @default LONG_TERM_TTL (86400)
   */
  ttlSeconds?: number;
  /** Restart the thread's TTL when a checkpoint is read, so a thread paused at an interrupt stays while it is looked at. @default false */
  refreshOnRead?: boolean;
  /**
   * A key segment of this saver's own, so savers sharing a store (two applications, or tests) never see each
   * other's threads. Letters, digits and `_ - . @ + = ~ /`. @default 'default'
   */
  scope?: string;
  /** LangGraph's serializer for checkpoints and writes. @default JsonPlusSerializer */
  serde?: SerializerProtocol;
}

/** A value as the saver stores it: the serializer's type, and its bytes as text when they are UTF-8, else base64. */
type StoredValue = [type: string, encoding: 's' | 'b', data: string];

interface StoredCheckpoint {
  /** The checkpoint without its channel values, which are blobs of their own. */
  checkpoint: StoredValue;
  metadata: StoredValue;
  parentId: string | null;
}

/** One write; the last three make LangGraph's sort key for pending writes. */
type StoredWrite = [taskId: string, channel: string, value: StoredValue, taskPath: string, idx: number];

/** A tuple as read-checkpoints.lua returns it. */
type RawTuple = [member: string, record: string, blobs: Array<string | null>, writes: Array<string | null>];

/** Checkpoints read per script call by `list`. */
const LIST_PAGE = 50;
/** Index keys per SCAN batch when `list` walks every thread. */
const SCAN_BATCH = 200;
/** A channel that was updated to "no value": its version exists but holds nothing. */
const EMPTY = 'empty';
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A LangGraph checkpointer on Remembr's store: the embedded memory store, a plain Redis (no modules) or a Redis
 * Cluster. A thread is five keys under one hash tag; `put` and `putWrites` are one script each, so a timeout
 * between "the checkpoint" and "its index entry" cannot happen, and parallel tasks writing to one checkpoint all
 * land. Channel values are stored once per version, as LangGraph's own database savers do, so a long thread does
 * not copy every channel into every checkpoint.
 */
export class RemembrSaver extends BaseCheckpointSaver {
  readonly #store: Store;
  readonly #ttlMs: number;
  readonly #refreshOnRead: boolean;
  readonly #scope: string;

  constructor(options: RemembrSaverOptions) {
    super(options.serde);
    if (!options?.store) throw new ValidationError('RemembrSaver needs a store (remembr.store)', 'store');
    this.#store = options.store;
    this.#ttlMs = assertTtl(options.ttlSeconds ?? LONG_TERM_TTL, 'ttlSeconds') * 1000;
    this.#refreshOnRead = options.refreshOnRead ?? false;
    this.#scope = assertScope(options.scope ?? 'default');
  }

  /** Seconds a thread lives after its last write. */
  get ttlSeconds(): number {
    return this.#ttlMs / 1000;
  }

  async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    const rawThread = config.configurable?.thread_id;
    if (rawThread === undefined || rawThread === null) return undefined;
    const threadId = idOf(rawThread, 'thread_id');
    const ns = namespaceOf(config);
    const checkpointId = getCheckpointId(config);
    const keys = this.#keys(threadId);
    const args = checkpointId
      ? ['member', checkpointMember(ns, checkpointId)]
      : (() => {
          const { max, min } = namespaceRange(ns);
          return ['range', max, min, 1];
        })();
    const [found] = await this.#read(keys, args);
    return found === undefined ? undefined : this.#toTuple(threadId, keys, found);
  }

  async *list(config: RunnableConfig, options: CheckpointListOptions = {}): AsyncGenerator<CheckpointTuple> {
    const { filter } = options;
    let remaining = options.limit;
    if (remaining !== undefined && (!Number.isInteger(remaining) || remaining < 0)) {
      throw new ValidationError(`limit must be a whole number of at least 0 (got ${String(remaining)})`, 'limit');
    }
    if (remaining === 0) return;
    const before = options.before ? getCheckpointId(options.before) || undefined : undefined;
    const wantedNs: string | undefined = config.configurable?.checkpoint_ns;
    const wantedId = getCheckpointId(config) || undefined;
    for await (const threadId of this.#threads(config)) {
      const keys = this.#keys(threadId);
      const range = wantedNs === undefined ? { max: '+', min: '-' } : namespaceRange(wantedNs, before);
      // Sized to the limit when every checkpoint of the range will be yielded; else whole pages.
      const pageSize = remaining !== undefined && !filter && wantedId === undefined && (before === undefined || wantedNs !== undefined)
        ? Math.min(LIST_PAGE, remaining)
        : LIST_PAGE;
      for (;;) {
        const page = await this.#read(keys, ['range', range.max, range.min, pageSize]);
        for (const raw of page) {
          const { checkpointId } = parseMember(raw[0]);
          if (wantedId !== undefined && checkpointId !== wantedId) continue;
          if (before !== undefined && checkpointId >= before) continue;
          const tuple = await this.#toTuple(threadId, keys, raw);
          if (filter && !Object.entries(filter).every(([key, value]) => (tuple.metadata as Record<string, unknown>)?.[key] === value)) continue;
          yield tuple;
          if (remaining !== undefined && --remaining === 0) return;
        }
        if (page.length < pageSize) break;
        range.max = `(${page[page.length - 1]![0]}`;
      }
    }
  }

  async put(config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata, newVersions: ChannelVersions): Promise<RunnableConfig> {
    const threadId = requiredThread(config, 'put a checkpoint');
    const ns = namespaceOf(config);
    const checkpointId = idOf(checkpoint?.id, 'checkpoint.id');
    const parentId: string | undefined = config.configurable?.checkpoint_id || undefined;
    const prepared = copyCheckpoint(checkpoint);
    const values = prepared.channel_values;
    prepared.channel_values = {};

    const blobs: string[] = [];
    for (const [channel, version] of Object.entries(newVersions ?? {})) {
      const value = Object.prototype.hasOwnProperty.call(values, channel)
        ? await this.#dump(values[channel])
        : ([EMPTY, 's', ''] satisfies StoredValue);
      blobs.push(blobField(ns, channel, version), JSON.stringify(value));
    }
    const refs = Object.entries(prepared.channel_versions).map(([channel, version]) => blobField(ns, channel, version));
    const record: StoredCheckpoint = {
      checkpoint: await this.#dump(prepared),
      metadata: await this.#dump(metadata),
      parentId: parentId ?? null,
    };
    const member = checkpointMember(ns, checkpointId);
    await this.#store.run(putCheckpointScript, keyList(this.#keys(threadId)), [
      this.#ttlMs,
      member,
      `${refs.join(',')}\n${JSON.stringify(record)}`,
      ...blobs,
    ]);
    return { configurable: { thread_id: threadId, checkpoint_ns: ns, checkpoint_id: checkpointId } };
  }

  async putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string, taskPath?: string): Promise<void> {
    const threadId = requiredThread(config, 'put writes');
    const checkpointId = getCheckpointId(config);
    if (!checkpointId) {
      throw new ValidationError('Cannot put writes: the config has no configurable.checkpoint_id', 'checkpoint_id');
    }
    const member = checkpointMember(namespaceOf(config), checkpointId);
    const task = idOf(taskId, 'task_id');
    const args: Array<string | number> = [this.#ttlMs];
    for (const [i, [channel, value]] of writes.entries()) {
      const idx = WRITES_IDX_MAP[channel] ?? i;
      const stored: StoredWrite = [task, channel, await this.#dump(value), taskPath ?? '', idx];
      args.push(writeField(member, task, idx), JSON.stringify(stored), idx < 0 ? '1' : '0');
    }
    await this.#store.run(putWritesScript, keyList(this.#keys(threadId)), args);
  }

  async deleteThread(threadId: string): Promise<void> {
    await this.#store.delete(keyList(this.#keys(idOf(threadId, 'thread_id'))));
  }

  #keys(threadId: string): ThreadKeys {
    return threadKeys(this.#scope, threadId);
  }

  async #read(keys: ThreadKeys, args: Array<string | number>): Promise<RawTuple[]> {
    const reply = await this.#store.run(readCheckpointsScript, keyList(keys), [this.#refreshOnRead ? this.#ttlMs : 0, ...args]);
    return reply as unknown as RawTuple[];
  }

  /** The thread named in the config, or every thread when it names none. */
  async *#threads(config: RunnableConfig): AsyncGenerator<string> {
    const rawThread = config.configurable?.thread_id;
    if (rawThread !== undefined && rawThread !== null) {
      yield idOf(rawThread, 'thread_id');
      return;
    }
    const seen = new Set<string>();
    for await (const batch of this.#store.scan(allThreadIndexes(this.#scope), SCAN_BATCH)) {
      for (const key of batch) {
        const threadId = threadOfIndexKey(key);
        // SCAN may return a key twice while Redis rehashes.
        if (threadId !== undefined && !seen.has(threadId)) {
          seen.add(threadId);
          yield threadId;
        }
      }
    }
  }

  async #toTuple(threadId: string, keys: ThreadKeys, [member, recordText, blobs, writes]: RawTuple): Promise<CheckpointTuple> {
    const { ns, checkpointId } = parseMember(member);
    const record = JSON.parse(recordText) as StoredCheckpoint;
    const checkpoint = (await this.#load(record.checkpoint)) as Checkpoint;
    const channelValues: Record<string, unknown> = {};
    const channels = Object.keys(checkpoint.channel_versions ?? {});
    for (const [i, channel] of channels.entries()) {
      const blob = blobs[i];
      if (blob === null || blob === undefined) continue;
      const value = JSON.parse(blob) as StoredValue;
      if (value[0] !== EMPTY) channelValues[channel] = await this.#load(value);
    }
    checkpoint.channel_values = channelValues;
    if (checkpoint.v < 4 && record.parentId !== null) await this.#migratePendingSends(checkpoint, keys, ns, record.parentId);
    const tuple: CheckpointTuple = {
      config: { configurable: { thread_id: threadId, checkpoint_ns: ns, checkpoint_id: checkpointId } },
      checkpoint,
      metadata: (await this.#load(record.metadata)) as CheckpointMetadata,
      pendingWrites: await this.#pendingWrites(writes),
    };
    if (record.parentId !== null) {
      tuple.parentConfig = { configurable: { thread_id: threadId, checkpoint_ns: ns, checkpoint_id: record.parentId } };
    }
    return tuple;
  }

  async #pendingWrites(raw: Array<string | null>, channel?: string): Promise<CheckpointPendingWrite[]> {
    const writes = raw
      .filter((text): text is string => text !== null)
      .map((text) => ({ write: JSON.parse(text) as StoredWrite }))
      .filter(({ write }) => channel === undefined || write[1] === channel);
    const keyed = writes.map(({ write }) => ({ write, key: writesSortKey(write[3], write[0], write[4]) }));
    keyed.sort((a, b) => compareWritesSortKeys(a.key, b.key));
    return Promise.all(keyed.map(async ({ write: [taskId, name, value] }) => [taskId, name, await this.#load(value)] as CheckpointPendingWrite));
  }

  /**
   * Checkpoints before format 4 kept the parent's pending sends out of their channels; LangGraph expects a saver
   * to fold them back in on read, as its own savers do.
   */
  async #migratePendingSends(checkpoint: Checkpoint, keys: ThreadKeys, ns: string, parentId: string): Promise<void> {
    const [parent] = await this.#read(keys, ['member', checkpointMember(ns, parentId)]);
    const sends = parent === undefined ? [] : await this.#pendingWrites(parent[3], TASKS);
    checkpoint.channel_values ??= {};
    checkpoint.channel_values[TASKS] = sends.map(([, , value]) => value);
    checkpoint.channel_versions ??= {};
    const versions = Object.values(checkpoint.channel_versions);
    checkpoint.channel_versions[TASKS] = versions.length > 0 ? maxChannelVersion(...versions) : this.getNextVersion(undefined);
  }

  async #dump(value: unknown): Promise<StoredValue> {
    const [type, bytes] = await this.serde.dumpsTyped(value);
    try {
      return [type, 's', utf8.decode(bytes)];
    } catch {
      return [type, 'b', Buffer.from(bytes).toString('base64')];
    }
  }

  async #load([type, encoding, data]: StoredValue): Promise<unknown> {
    return this.serde.loadsTyped(type, encoding === 's' ? data : new Uint8Array(Buffer.from(data, 'base64')));
  }
}

function keyList(keys: ThreadKeys): string[] {
  return [keys.checkpoints, keys.index, keys.blobs, keys.writes, keys.writeIndex];
}

function namespaceOf(config: RunnableConfig): string {
  const ns: unknown = config.configurable?.checkpoint_ns ?? '';
  if (typeof ns !== 'string') throw new ValidationError('checkpoint_ns must be a string', 'checkpoint_ns');
  return ns;
}

function requiredThread(config: RunnableConfig, what: string): string {
  const threadId: unknown = config?.configurable?.thread_id;
  if (threadId === undefined || threadId === null) {
    throw new ValidationError(
      `Cannot ${what}: the config has no configurable.thread_id (pass { configurable: { thread_id } } to the graph)`,
      'thread_id',
    );
  }
  return idOf(threadId, 'thread_id');
}

/** Ids are strings; a number (a common thread id) is taken as its decimal text. */
function idOf(value: unknown, field: string): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string' || value.length === 0) {
    throw new ValidationError(`${field} must be a non-empty string`, field);
  }
  return value;
}

