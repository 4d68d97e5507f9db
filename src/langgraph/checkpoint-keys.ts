import { hashTag, makeKey, makePattern, ValidationError } from '../index.js';

/*
 * Where RemembrSaver keeps a LangGraph thread: five keys, `remembr:langgraph:<scope>:{<thread>}:…`, under the thread's own hash tag, so one script can change
 * all of them on Redis Cluster and `deleteThread` is one UNLINK of a known list, never a keyspace walk.
 *
 * Thread ids, namespaces, channel names and task ids come from the graph and may hold any character. A key part
 * may not (see keys.ts), so a thread id that is not already a plain key part is written as `~` and its UTF-8 in
 * base64url; a plain part never starts with `~`, so the two spellings cannot meet. Inside the keys, every name is
 * percent-encoded: the fields are then plain ASCII, which Redis and JavaScript order alike, and `|` and `,` (which
 * encodeURIComponent always escapes) are free to separate them.
 */

export interface ThreadKeys {
  /** Index member → `<blob field>,<blob field>…\n<checkpoint record JSON>` (a hash). */
  readonly checkpoints: string;
  /** Every checkpoint of the thread as `<ns>|<checkpoint id>`, score 0, so ZRANGEBYLEX orders them by id (a sorted set). */
  readonly index: string;
  /** `<ns>|<channel>|<version>` → one channel value (a hash): a value is stored once, when its version is new. */
  readonly blobs: string;
  /** `<ns>|<checkpoint id>|<task id>|<idx>` → one pending write (a hash). */
  readonly writes: string;
  /** Every field of `writes`, score 0, so one checkpoint's writes are a lex range (a sorted set). */
  readonly writeIndex: string;
}

const NAMESPACE = 'langgraph';
const PLAIN_THREAD = /^[A-Za-z0-9_\-.@+=/]{1,200}$/;
/** Thread ids longer than this, in UTF-8, would not fit a key part once encoded. */
export const MAX_THREAD_ID_BYTES = 148;

/** `scope` separates savers that share one store (two applications, or tests); it is a key part. */
export function threadKeys(scope: string, threadId: string): ThreadKeys {
  const tag = hashTag(threadPart(threadId));
  return {
    checkpoints: makeKey(NAMESPACE, scope, tag, 'checkpoints'),
    index: makeKey(NAMESPACE, scope, tag, 'index'),
    blobs: makeKey(NAMESPACE, scope, tag, 'blobs'),
    writes: makeKey(NAMESPACE, scope, tag, 'writes'),
    writeIndex: makeKey(NAMESPACE, scope, tag, 'write-index'),
  };
}

/** Every thread's index key in a scope, for `list` without a thread id (a SCAN: that listing is an operator's tool). */
export function allThreadIndexes(scope: string): string {
  return `${makePattern(NAMESPACE, scope)}:index`;
}

/** Checks a scope once, when a saver is made, so a bad one fails there and not on the first write. */
export function assertScope(scope: string): string {
  makeKey(NAMESPACE, scope);
  return scope;
}

/** The thread id back from one of its index keys, or undefined for a key that is not one. */
export function threadOfIndexKey(key: string): string | undefined {
  const match = /\{([^}]+)\}:index$/.exec(key);
  if (!match) return undefined;
  const part = match[1]!;
  return part.startsWith('~') ? Buffer.from(part.slice(1), 'base64url').toString('utf8') : part;
}

function threadPart(threadId: string): string {
  if (PLAIN_THREAD.test(threadId)) return threadId;
  const bytes = Buffer.byteLength(threadId, 'utf8');
  if (bytes > MAX_THREAD_ID_BYTES) {
    throw new ValidationError(`thread_id is ${bytes} bytes in UTF-8; at most ${MAX_THREAD_ID_BYTES} are accepted`, 'thread_id');
  }
  return `~${Buffer.from(threadId, 'utf8').toString('base64url')}`;
}

/** One name inside a field, percent-encoded; a lone surrogate, which has no UTF-8, is refused by name. */
export function fieldPart(value: string, field: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    throw new ValidationError(`${field} is not valid Unicode (it has an unpaired surrogate)`, field);
  }
}

export function checkpointMember(ns: string, checkpointId: string): string {
  return `${fieldPart(ns, 'checkpoint_ns')}|${fieldPart(checkpointId, 'checkpoint_id')}`;
}

export function blobField(ns: string, channel: string, version: string | number): string {
  return `${fieldPart(ns, 'checkpoint_ns')}|${fieldPart(channel, 'channel')}|${fieldPart(String(version), 'version')}`;
}

export function writeField(member: string, taskId: string, idx: number): string {
  return `${member}|${fieldPart(taskId, 'task_id')}|${idx}`;
}

/**
 * The lex range of a namespace's members, newest id first, as ZREVRANGEBYLEX takes it: every member that starts
 * with `<ns>|`. `}` follows `|` in ASCII and never occurs in an encoded name, so `(<ns>}` closes the range.
 * `before` narrows it to ids below that one.
 */
export function namespaceRange(ns: string, before?: string): { max: string; min: string } {
  const prefix = fieldPart(ns, 'checkpoint_ns');
  return {
    max: before === undefined ? `(${prefix}}` : `(${checkpointMember(ns, before)}`,
    min: `[${prefix}|`,
  };
}

/** The checkpoint id part of a member (the namespace has no `|` once encoded). */
export function parseMember(member: string): { ns: string; checkpointId: string } {
  const bar = member.indexOf('|');
  return { ns: decodeURIComponent(member.slice(0, bar)), checkpointId: decodeURIComponent(member.slice(bar + 1)) };
}
