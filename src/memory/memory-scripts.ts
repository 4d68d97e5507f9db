import type { MemoryDb } from '../store/memory-db.js';
import type { Reply } from '../store/port.js';
import { defineScript } from '../store/script.js';

/** The Lua prelude of the scripts that use a window: `touchWindow`. */
const WINDOW_PRELUDE = [new URL('./touch-window.lua', import.meta.url)];

/*
 * The short-term memory scripts: each a Lua file beside this one and its JavaScript twin for the memory store,
 * written to follow the Lua step by step. The .lua headers say what each KEYS/ARGV entry is.
 */

/** A message as the window stores it (one JSON string per list element). */
export interface StoredMessage {
  seq: number;
  id: string;
  role: string;
  content: string;
  tokens: number;
  created_at: string;
}

export interface CheckpointInfo {
  created_at: string;
  message_count: number;
  expires_at: number;
  /** Orders checkpoints that expire in the same millisecond. */
  seq: number;
}

interface Snapshot {
  seq: number;
  system_tokens: number;
  conversation_tokens: number;
  system: string[];
  conversation: string[];
}

/** The window TTL a script sets: its own, but never longer than the session has left. */
function windowTtl(sessionTtl: number, ttl: number): number {
  return sessionTtl >= 0 && sessionTtl < ttl ? sessionTtl : ttl;
}

function touch(db: MemoryDb, keys: string[], ttl: number): void {
  for (const key of keys) db.pexpire(key, ttl);
}

function numberField(hash: Map<string, string> | undefined, field: string): number {
  const value = Number(hash?.get(field));
  return Number.isFinite(value) ? value : 0;
}

/** Lua's cjson writes an empty array as `{}`; read either as a list. */
const asList = (value: unknown): string[] => (Array.isArray(value) ? (value as string[]) : []);

export const appendMessageScript = defineScript('append-message', new URL('./append-message.lua', import.meta.url), (db, keys, args) => {
  const [sessionKey, systemKey, conversationKey, stateKey] = keys as [string, string, string, string];
  const [id, role, content, tokensText, createdAt, budgetText, ttlText] = args as [string, string, string, string, string, string, string];
  const sessionTtl = db.pttl(sessionKey);
  if (sessionTtl === -2) return [0];
  const tokens = Number(tokensText);
  const budget = Number(budgetText);
  const state = db.hash(stateKey);
  let systemTokens = numberField(state, 'system_tokens');
  let conversationTokens = numberField(state, 'conversation_tokens');
  if (systemTokens + tokens > budget) return [-1, systemTokens];

  const writable = db.hash(stateKey, true);
  const seq = numberField(writable, 'seq') + 1;
  writable.set('seq', String(seq));
  const message: StoredMessage = { seq, id, role, content, tokens, created_at: createdAt };
  if (role === 'system') {
    db.list(systemKey, true).push(JSON.stringify(message));
    systemTokens += tokens;
  } else {
    db.list(conversationKey, true).push(JSON.stringify(message));
    conversationTokens += tokens;
  }

  const evicted: string[] = [];
  const conversation = db.list(conversationKey);
  while (systemTokens + conversationTokens > budget && conversation && conversation.length > 0) {
    const gone = JSON.parse(conversation.shift()!) as StoredMessage;
    conversationTokens -= gone.tokens;
    evicted.push(gone.id);
  }
  db.dropIfEmpty(conversationKey);
  writable.set('system_tokens', String(systemTokens));
  writable.set('conversation_tokens', String(conversationTokens));
  touch(db, [systemKey, conversationKey, stateKey], windowTtl(sessionTtl, Number(ttlText)));
  return [1, seq, systemTokens + conversationTokens, evicted];
}, WINDOW_PRELUDE);

export const readWindowScript = defineScript('read-window', new URL('./read-window.lua', import.meta.url), (db, keys, args) => {
  const [sessionKey, systemKey, conversationKey, stateKey] = keys as [string, string, string, string];
  const sessionTtl = db.pttl(sessionKey);
  if (sessionTtl === -2) return null;
  const state = db.hash(stateKey);
  const used = numberField(state, 'system_tokens') + numberField(state, 'conversation_tokens');
  const system = [...(db.list(systemKey) ?? [])];
  const conversation = [...(db.list(conversationKey) ?? [])];
  touch(db, [systemKey, conversationKey, stateKey], windowTtl(sessionTtl, Number(args[0])));
  return [used, system, conversation];
}, WINDOW_PRELUDE, { allowOom: true });

/** Removes expired checkpoints; returns the live ones as [id, info]. */
function pruneCheckpoints(db: MemoryDb, checkpointsKey: string, snapshotsKey: string, now: number): Array<[string, CheckpointInfo, string]> {
  const live: Array<[string, CheckpointInfo, string]> = [];
  const checkpoints = db.hash(checkpointsKey);
  for (const [id, text] of [...(checkpoints ?? [])]) {
    const info = JSON.parse(text) as CheckpointInfo;
    if (info.expires_at <= now) {
      checkpoints!.delete(id);
      db.hash(snapshotsKey)?.delete(id);
    } else {
      live.push([id, info, text]);
    }
  }
  db.dropIfEmpty(checkpointsKey);
  db.dropIfEmpty(snapshotsKey);
  return live;
}

export const createCheckpointScript = defineScript('create-checkpoint', new URL('./create-checkpoint.lua', import.meta.url), (db, keys, args) => {
  const [sessionKey, systemKey, conversationKey, stateKey, checkpointsKey, snapshotsKey] = keys as [string, string, string, string, string, string];
  const [id, createdAt, keepText, maxText, ttlText] = args as [string, string, string, string, string];
  const sessionTtl = db.pttl(sessionKey);
  if (sessionTtl === -2) return null;
  const now = db.now();
  const keep = Number(keepText);

  const kept = pruneCheckpoints(db, checkpointsKey, snapshotsKey, now).sort(([, x], [, y]) => x.expires_at - y.expires_at || x.seq - y.seq);
  for (const [oldest] of kept.slice(0, Math.max(0, kept.length - Number(maxText) + 1))) {
    db.hash(checkpointsKey)?.delete(oldest);
    db.hash(snapshotsKey)?.delete(oldest);
  }

  const system = [...(db.list(systemKey) ?? [])];
  const conversation = [...(db.list(conversationKey) ?? [])];
  const state = db.hash(stateKey, true);
  const count = system.length + conversation.length;
  const seq = numberField(state, 'checkpoint_seq') + 1;
  state.set('checkpoint_seq', String(seq));
  const info: CheckpointInfo = { created_at: createdAt, message_count: count, expires_at: now + keep, seq };
  const snapshot: Snapshot = {
    seq: numberField(state, 'seq'),
    system_tokens: numberField(state, 'system_tokens'),
    conversation_tokens: numberField(state, 'conversation_tokens'),
    system,
    conversation,
  };
  db.hash(checkpointsKey, true).set(id, JSON.stringify(info));
  db.hash(snapshotsKey, true).set(id, JSON.stringify(snapshot));
  touch(db, [checkpointsKey, snapshotsKey], keep);
  touch(db, [systemKey, conversationKey, stateKey], windowTtl(sessionTtl, Number(ttlText)));
  return count;
}, WINDOW_PRELUDE);

export const listCheckpointsScript = defineScript('list-checkpoints', new URL('./list-checkpoints.lua', import.meta.url), (db, keys) => {
  const [sessionKey, checkpointsKey, snapshotsKey] = keys as [string, string, string];
  if (!db.exists(sessionKey)) return null;
  return pruneCheckpoints(db, checkpointsKey, snapshotsKey, db.now()).flatMap(([id, , text]): Reply[] => [id, text]);
}, [], { allowOom: true });

export const restoreCheckpointScript = defineScript('restore-checkpoint', new URL('./restore-checkpoint.lua', import.meta.url), (db, keys, args) => {
  const [sessionKey, systemKey, conversationKey, stateKey, checkpointsKey, snapshotsKey] = keys as [string, string, string, string, string, string];
  const [id, ttlText] = args as [string, string];
  const sessionTtl = db.pttl(sessionKey);
  if (sessionTtl === -2) return [0];
  const info = db.hash(checkpointsKey)?.get(id);
  const savedText = db.hash(snapshotsKey)?.get(id);
  if (info === undefined || savedText === undefined || (JSON.parse(info) as CheckpointInfo).expires_at <= db.now()) return [-1];
  const saved = JSON.parse(savedText) as Snapshot;
  const system = asList(saved.system);
  const conversation = asList(saved.conversation);

  db.del(systemKey);
  db.del(conversationKey);
  // One at a time: spreading a long window into push() could overflow the call stack.
  for (const message of system) db.list(systemKey, true).push(message);
  for (const message of conversation) db.list(conversationKey, true).push(message);
  const state = db.hash(stateKey, true);
  state.set('seq', String(Math.max(numberField(state, 'seq'), saved.seq)));
  state.set('system_tokens', String(saved.system_tokens));
  state.set('conversation_tokens', String(saved.conversation_tokens));
  touch(db, [systemKey, conversationKey, stateKey], windowTtl(sessionTtl, Number(ttlText)));
  return [1, system.length + conversation.length];
}, WINDOW_PRELUDE);
