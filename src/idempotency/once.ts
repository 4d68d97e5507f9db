import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { IdempotencyKeyReusedError, ValidationError } from '../errors.js';
import { SESSION_TTL } from '../keys.js';
import type { MemoryDb } from '../store/memory-db.js';
import type { Reply, Script, Store } from '../store/port.js';
import { idempotencyRecordKey } from './idempotency-keys.js';

/**
 * Exactly-once writes for any atomic script. `once(script)` is the same script with a check-and-record step
 * around it, in Lua and in its JavaScript twin: the first execution under an idempotency key records its
 * arguments and reply in the same atomic step as its writes; a retry with the key gets that record back instead
 * of running again; a retry with the key but another request is refused. `runOnce` is what a service calls for
 * every write, with or without a key, so the answer it builds comes from the same (arguments, reply) either way.
 *
 * The arguments are recorded too because a write's answer is made of them as much as of the reply: the message
 * id, the session id or the timestamp a service generated for the first attempt must come back on the retry,
 * not the ones it generated for the retry.
 */

/** How long a retry is recognized by default: an hour, as long as a session lives without a refresh. */
export const IDEMPOTENCY_TTL = SESSION_TTL;

/** What a library write takes to run at most once. */
export interface IdempotencyOptions {
  /**
   * A key the caller chose for this one logical write (a UUID, say), sent again with every retry of it: 1 to 255
   * printable ASCII characters. The first execution's answer is returned to every retry with the same key and
   * the same input, without applying it again, for as long as the record is kept (`IDEMPOTENCY_TTL_SECONDS`).
   * The same key with another input rejects with IdempotencyKeyReusedError. Keys are per user.
   */
  idempotencyKey?: string;
}

/** Which write, for whom, and what identifies its input, when it is to run at most once. */
export interface Once {
  userId: string;
  idempotencyKey: string;
  /** The operation's name: the same key used for two different operations is a reuse. */
  operation: string;
  /** The input the caller gave (not what the service generated): a retry must present the same. */
  request: unknown;
  ttlSeconds: number;
}

export interface OnceResult {
  /** The arguments the script ran with: the first execution's when this is a replay. */
  args: string[];
  reply: Reply;
  /** True when the write had already run under this key and this is its recorded answer. */
  replayed: boolean;
}

const PRINTABLE_KEY = /^[\x20-\x7e]{1,255}$/;

/** The key as given, or ValidationError naming what a key may be. */
export function assertIdempotencyKey(key: unknown, field = 'idempotencyKey'): string {
  if (typeof key !== 'string' || !PRINTABLE_KEY.test(key)) {
    throw new ValidationError(`${field} must be 1 to 255 printable ASCII characters`, field);
  }
  return key;
}

/** The `Once` for a write, or undefined when the caller gave no key. */
export function onceFor(
  options: IdempotencyOptions | undefined,
  userId: string,
  operation: string,
  request: unknown,
  ttlSeconds: number,
): Once | undefined {
  if (options?.idempotencyKey === undefined) return undefined;
  return { userId, idempotencyKey: assertIdempotencyKey(options.idempotencyKey), operation, request, ttlSeconds };
}

/**
 * Runs `script` once per key: plainly without `once`, else through its check-and-record twin. The record key is
 * appended to `keys`; it shares the user's hash tag, as every key of a user's write does.
 */
export async function runOnce(
  store: Store,
  script: Script,
  keys: string[],
  args: Array<string | number>,
  once: Once | undefined,
): Promise<OnceResult> {
  const plainArgs = args.map(String);
  if (once === undefined) return { args: plainArgs, reply: await store.run(script, keys, plainArgs), replayed: false };
  const reply = await store.run(
    onceScript(script),
    [...keys, idempotencyRecordKey(once.userId, once.idempotencyKey)],
    [...plainArgs, fingerprint(once.operation, once.request), once.ttlSeconds * 1000],
  );
  const [status, recordedArgs, recordedReply] = reply as [number, string[]?, Reply?];
  if (status === 0) {
    throw new IdempotencyKeyReusedError(
      `The idempotency key was already used for a different request (${once.operation} with other input); use a new key for a new request`,
    );
  }
  return { args: (recordedArgs ?? []).map(String), reply: recordedReply ?? null, replayed: status === 2 };
}

/** SHA-256 over the operation and its input as canonical JSON (object keys sorted), so key order never matters. */
export function fingerprint(operation: string, request: unknown): string {
  return createHash('sha256').update(canonicalJson([operation, request]), 'utf8').digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const CHECK = readFileSync(new URL('./check-record.lua', import.meta.url), 'utf8');
const RECORD = readFileSync(new URL('./record-answer.lua', import.meta.url), 'utf8');
const wrapped = new WeakMap<Script, Script>();

/**
 * The check-and-record twin of a script, made once per script. The script's own source (its preludes and body,
 * after its flags line) becomes the body of a local function, which Lua allows whatever the source declares, and
 * its flags stay the first line. Any script defined with defineScript can be wrapped, so a new write gets
 * exactly-once retries by calling runOnce instead of store.run.
 */
export function onceScript(script: Script): Script {
  let twin = wrapped.get(script);
  if (twin === undefined) {
    const newline = script.lua.indexOf('\n');
    const [flags, source] = script.lua.startsWith('#!') ? [script.lua.slice(0, newline), script.lua.slice(newline + 1)] : ['', script.lua];
    const lua = [flags, CHECK, 'local function operation()', source, 'end', RECORD].join('\n');
    twin = {
      name: `${script.name}+once`,
      lua,
      sha: createHash('sha1').update(lua).digest('hex'),
      local: (db, keys, args) => runLocalOnce(script, db, keys, args),
    };
    wrapped.set(script, twin);
  }
  return twin;
}

/** The JavaScript twin of CHECK + script + RECORD, synchronous like every twin. */
function runLocalOnce(script: Script, db: MemoryDb, keys: string[], args: string[]): Reply {
  const recordKey = keys[keys.length - 1]!;
  const ttlMs = Number(args[args.length - 1]);
  const requestFingerprint = args[args.length - 2]!;
  const ownKeys = keys.slice(0, -1);
  const ownArgs = args.slice(0, -2);
  const recorded = db.hash(recordKey);
  if (recorded !== undefined) {
    if (recorded.get('fingerprint') !== requestFingerprint) return [0];
    const [firstArgs, firstReply] = JSON.parse(recorded.get('answer')!) as [string[], Reply];
    return [2, firstArgs, firstReply];
  }
  const reply = script.local(db, ownKeys, ownArgs);
  const record = db.hash(recordKey, true);
  record.set('fingerprint', requestFingerprint);
  record.set('answer', JSON.stringify([ownArgs, reply]));
  db.pexpire(recordKey, ttlMs);
  return reply === null ? [1, ownArgs] : [1, ownArgs, reply];
}
