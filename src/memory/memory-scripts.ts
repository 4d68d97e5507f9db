import type { MemoryDb } from '../store/memory-db.js';
import type { Reply } from '../store/port.js';
import { defineScript } from '../store/script.js';

/** The Lua prelude of the scripts that use a window: `touchWindow`, `readHeader`. */
const WINDOW_PRELUDE = [new URL('./window-prelude.lua', import.meta.url)];

/*
 * The short-term memory scripts: each a Lua file beside this one and its JavaScript twin for the memory store,
 * written to follow the Lua step by step. The .lua headers say what each KEYS/ARGV entry is.
 */

/** A message as the window stores it (one JSON text per list element): the appended message plus the window's fields. */
export interface StoredMessage {
  seq: number;
  /** The seq of the message that opened this message's eviction unit (its own, unless it answers a tool call). */
  unit: number;
  tokens: number;
  id: string;
  created_at: string;
  role: string;
  content: unknown;
  tool_calls?: Array<{ id: string; name: string; arguments: string }>;
  tool_call_id?: string;
  name?: string;
  metadata?: Record<string, unknown>;
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
  open_unit?: number;
  open_calls?: string;
  open_tokens?: number;
}

/** The window TTL a script sets: what the session has left, or `ttl` for a session without expiry. */
function windowTtl(sessionTtl: number, ttl: number): number {
  return sessionTtl >= 0 ? sessionTtl : ttl;
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

/** Fields of the window state that hold an open unit (an assistant message whose tool calls are not all answered). */
const OPEN_FIELDS = ['open_unit', 'open_calls', 'open_tokens'] as const;

/** The header the Lua prelude's readHeader reads: seq, unit, tokens, id. */
export function readHeader(element: string): { seq: number; unit: number; tokens: number; id: string } {
  const match = /^\{"seq":(\d+),"unit":(\d+),"tokens":(\d+),"id":"([^"]+)"/.exec(element);
  if (match) return { seq: Number(match[1]), unit: Number(match[2]), tokens: Number(match[3]), id: match[4]! };
  const old = JSON.parse(element) as { seq: number; tokens: number; id: string };
  return { seq: old.seq, unit: old.seq, tokens: old.tokens, id: old.id };
}

/** Puts the script's seq and unit in front of the JSON text Node built, as append-messages.lua does. */
export const storedElement = (seq: number, unit: number, body: string) => `{"seq":${seq},"unit":${unit},${body.slice(1)}`;

export const appendMessagesScript = defineScript('append-messages', new URL('./append-messages.lua', import.meta.url), (db, keys, args) => {
  const [sessionKey, systemKey, conversationKey, stateKey, bufferKey] = keys as [string, string, string, string, string];
  const sessionTtl = db.pttl(sessionKey);
  if (sessionTtl === -2) return [0];
  const budget = Number(args[0]);
  const count = Number(args[2]);
  const state = db.hash(stateKey);
  const seq = numberField(state, 'seq');
  let systemTokens = numberField(state, 'system_tokens');
  let conversationTokens = numberField(state, 'conversation_tokens');
  let openUnit = state?.has('open_unit') ? Number(state.get('open_unit')) : undefined;
  let openCalls = state?.has('open_calls') ? (JSON.parse(state.get('open_calls')!) as string[]) : [];
  let openTokens = numberField(state, 'open_tokens');
  const summaryTokens = numberField(state, 'summary_tokens');

  const plan: number[] = [];
  let lastUnit: number | undefined;
  let lastUnitTokens = 0;
  let addedSystem = 0;
  for (let i = 1; i <= count; i++) {
    const base = 4 + 5 * (i - 1);
    const [role, tokensText, , calls, answers] = args.slice(base, base + 5) as [string, string, string, string, string];
    const tokens = Number(tokensText);
    let unit = seq + i;
    if (role === 'tool') {
      const found = openCalls.indexOf(answers);
      if (found < 0) return [-2, i, answers, JSON.stringify(openCalls)];
      openCalls = openCalls.filter((_, k) => k !== found);
      unit = openUnit!;
      openTokens += tokens;
      lastUnit = unit;
      lastUnitTokens = openTokens;
    } else {
      if (openCalls.length > 0) return [-3, i, JSON.stringify(openCalls)];
      if (role === 'system') {
        addedSystem += tokens;
      } else {
        lastUnit = unit;
        lastUnitTokens = tokens;
        if (calls !== '') {
          openUnit = unit;
          openCalls = JSON.parse(calls) as string[];
          openTokens = tokens;
        }
      }
    }
    plan[i] = unit;
  }
  if (systemTokens + addedSystem + summaryTokens + lastUnitTokens > budget) return [-1, systemTokens + addedSystem + summaryTokens, lastUnitTokens];

  for (let i = 1; i <= count; i++) {
    const base = 4 + 5 * (i - 1);
    const element = storedElement(seq + i, plan[i]!, args[base + 2]!);
    if (args[base] === 'system') {
      db.list(systemKey, true).push(element);
    } else {
      db.list(conversationKey, true).push(element);
      conversationTokens += Number(args[base + 1]);
    }
  }
  systemTokens += addedSystem;

  const evicted: string[] = [];
  const conversation = db.list(conversationKey);
  while (systemTokens + summaryTokens + conversationTokens > budget && conversation && conversation.length > 0) {
    const { unit } = readHeader(conversation[0]!);
    if (unit === lastUnit) break;
    while (conversation.length > 0 && readHeader(conversation[0]!).unit === unit) {
      const element = conversation.shift()!;
      db.list(bufferKey, true).push(element);
      const gone = readHeader(element);
      conversationTokens -= gone.tokens;
      evicted.push(gone.id);
    }
  }
  db.dropIfEmpty(conversationKey);
  let dropped = 0;
  if (evicted.length > 0) {
    const buffer = db.list(bufferKey, true);
    dropped = Math.max(0, buffer.length - Number(args[3]));
    buffer.splice(0, dropped);
  }

  const writable = db.hash(stateKey, true);
  writable.set('seq', String(seq + count));
  writable.set('system_tokens', String(systemTokens));
  writable.set('conversation_tokens', String(conversationTokens));
  if (openCalls.length > 0) {
    writable.set('open_unit', String(openUnit));
    writable.set('open_calls', JSON.stringify(openCalls));
    writable.set('open_tokens', String(openTokens));
  } else {
    for (const field of OPEN_FIELDS) writable.delete(field);
  }
  // The Lua sets only the keys lacking the session's expiry (the ones this append made) when the state has it;
  // setting all four ends the same, and costs nothing worth saving here.
  touch(db, [systemKey, conversationKey, stateKey, bufferKey], windowTtl(sessionTtl, Number(args[1])));
  return [1, seq + 1, systemTokens + summaryTokens + conversationTokens, evicted, dropped];
}, WINDOW_PRELUDE);

export const readWindowScript = defineScript('read-window', new URL('./read-window.lua', import.meta.url), (db, keys, args) => {
  const [sessionKey, systemKey, conversationKey, stateKey] = keys as [string, string, string, string];
  const sessionTtl = db.pttl(sessionKey);
  if (sessionTtl === -2) return null;
  const state = db.hash(stateKey);
  const used = numberField(state, 'system_tokens') + numberField(state, 'conversation_tokens') + numberField(state, 'summary_tokens');
  const system = [...(db.list(systemKey) ?? [])];
  const conversation = [...(db.list(conversationKey) ?? [])];
  // The Lua sets the keys only when the conversation's expiry is not the session's; setting them always ends the same.
  touch(db, [systemKey, conversationKey, stateKey], windowTtl(sessionTtl, Number(args[0])));
  return [used, system, conversation, state?.get('summary') ?? null, numberField(state, 'summary_version')];
}, WINDOW_PRELUDE, { allowOom: true });

export const readEvictedScript = defineScript('read-evicted', new URL('./read-evicted.lua', import.meta.url), (db, keys) => {
  const [sessionKey, stateKey, bufferKey] = keys as [string, string, string];
  if (!db.exists(sessionKey)) return null;
  const state = db.hash(stateKey);
  return [state?.get('summary') ?? null, numberField(state, 'summary_version'), [...(db.list(bufferKey) ?? [])]];
}, [], { allowOom: true });

export const commitSummaryScript = defineScript('commit-summary', new URL('./commit-summary.lua', import.meta.url), (db, keys, args) => {
  const [sessionKey, systemKey, conversationKey, stateKey, bufferKey] = keys as [string, string, string, string, string];
  const [summary, tokensText, throughId, versionText, budgetText, ttlText] = args as [string, string, string, string, string, string];
  const sessionTtl = db.pttl(sessionKey);
  if (sessionTtl === -2) return [0];
  const state = db.hash(stateKey);
  const version = numberField(state, 'summary_version');
  if (version !== Number(versionText)) return [-1, version];
  const buffer = db.list(bufferKey) ?? [];
  const through = buffer.findIndex((element) => readHeader(element).id === throughId);
  if (through < 0) return [-2];
  const systemTokens = numberField(state, 'system_tokens');
  let conversationTokens = numberField(state, 'conversation_tokens');
  const openUnit = state?.has('open_unit') ? Number(state.get('open_unit')) : undefined;
  const summaryTokens = Number(tokensText);
  const conversation = db.list(conversationKey) ?? [];
  let over = systemTokens + summaryTokens + conversationTokens - Number(budgetText);
  let leaving = 0;
  while (over > 0) {
    if (leaving >= conversation.length) return [-3, systemTokens + summaryTokens];
    const { unit } = readHeader(conversation[leaving]!);
    if (unit === openUnit) return [-3, systemTokens + summaryTokens];
    while (leaving < conversation.length && readHeader(conversation[leaving]!).unit === unit) {
      const { tokens } = readHeader(conversation[leaving++]!);
      over -= tokens;
      conversationTokens -= tokens;
    }
  }

  buffer.splice(0, through + 1);
  const moved = conversation.splice(0, leaving);
  for (const element of moved) db.list(bufferKey, true).push(element);
  db.dropIfEmpty(bufferKey);
  db.dropIfEmpty(conversationKey);
  const writable = db.hash(stateKey, true);
  writable.set('summary', summary);
  writable.set('summary_tokens', String(summaryTokens));
  writable.set('summary_version', String(version + 1));
  writable.set('conversation_tokens', String(conversationTokens));
  touch(db, [systemKey, conversationKey, stateKey, bufferKey], windowTtl(sessionTtl, Number(ttlText)));
  return [1, version + 1, systemTokens + summaryTokens + conversationTokens, moved.map((element) => readHeader(element).id)];
}, WINDOW_PRELUDE);

export const deleteMessagesScript = defineScript('delete-messages', new URL('./delete-messages.lua', import.meta.url), (db, keys, args) => {
  const [sessionKey, systemKey, conversationKey, stateKey, bufferKey] = keys as [string, string, string, string, string];
  const [messageId, ttlText] = args as [string, string];
  const sessionTtl = db.pttl(sessionKey);
  if (sessionTtl === -2) return [0];
  const state = db.hash(stateKey);
  if (messageId === '') {
    const deleted = [...(db.list(systemKey) ?? []), ...(db.list(conversationKey) ?? [])].map((element) => readHeader(element).id);
    for (const key of [systemKey, conversationKey, bufferKey]) db.del(key);
    for (const field of ['system_tokens', 'conversation_tokens', ...OPEN_FIELDS, 'summary', 'summary_tokens', 'summary_version']) state?.delete(field);
    return [1, deleted];
  }
  const system = db.list(systemKey) ?? [];
  const inSystem = system.findIndex((element) => readHeader(element).id === messageId);
  if (inSystem >= 0) {
    const [element] = system.splice(inSystem, 1);
    db.dropIfEmpty(systemKey);
    const writable = db.hash(stateKey, true);
    writable.set('system_tokens', String(numberField(writable, 'system_tokens') - readHeader(element!).tokens));
    touch(db, [systemKey, conversationKey, stateKey], windowTtl(sessionTtl, Number(ttlText)));
    return [1, [messageId]];
  }
  const conversation = db.list(conversationKey) ?? [];
  const target = conversation.map(readHeader).find((header) => header.id === messageId)?.unit;
  if (target === undefined) return [-1];
  const leaving = conversation.map(readHeader).filter((header) => header.unit === target);
  const kept = conversation.filter((element) => readHeader(element).unit !== target);
  conversation.splice(0, conversation.length, ...kept);
  db.dropIfEmpty(conversationKey);
  const writable = db.hash(stateKey, true);
  writable.set('conversation_tokens', String(numberField(writable, 'conversation_tokens') - leaving.reduce((sum, header) => sum + header.tokens, 0)));
  if (writable.has('open_unit') && Number(writable.get('open_unit')) === target) for (const field of OPEN_FIELDS) writable.delete(field);
  touch(db, [systemKey, conversationKey, stateKey], windowTtl(sessionTtl, Number(ttlText)));
  return [1, leaving.map((header) => header.id)];
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
  if (state.has('open_unit')) {
    snapshot.open_unit = numberField(state, 'open_unit');
    snapshot.open_calls = state.get('open_calls');
    snapshot.open_tokens = numberField(state, 'open_tokens');
  }
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
  if (saved.open_unit !== undefined) {
    state.set('open_unit', String(saved.open_unit));
    state.set('open_calls', saved.open_calls!);
    state.set('open_tokens', String(saved.open_tokens));
  } else {
    for (const field of OPEN_FIELDS) state.delete(field);
  }
  touch(db, [systemKey, conversationKey, stateKey], windowTtl(sessionTtl, Number(ttlText)));
  return [1, system.length + conversation.length];
}, WINDOW_PRELUDE);

export const clearWindowScript = defineScript('clear-window', new URL('./clear-window.lua', import.meta.url), (db, keys) => {
  const [sessionKey, ...windowKeys] = keys as [string, string, string, string];
  if (!db.exists(sessionKey)) return 0;
  for (const key of windowKeys) db.del(key);
  return 1;
});
