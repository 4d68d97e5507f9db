import { assertId, hashTag, makeKey } from '../keys.js';

/**
 * Where one session and everything it owns lives. Every key carries the user's hash tag, so a session, its
 * short-term window, its checkpoints and the user's index sit in one Redis Cluster slot and one script can change
 * them together. The guide's "delete all session keys for a user" pattern, `remembr:session:{user}:*`, covers
 * all of them but the index.
 */
export interface SessionKeys {
  /** The session itself: a JSON string that expires after the session TTL. */
  readonly session: string;
  /** System messages of the window, oldest first (a list). They are never evicted. */
  readonly systemMessages: string;
  /** Every other message of the window, oldest first (a list): eviction pops its head. */
  readonly conversation: string;
  /** The window's running totals, sequence number, open tool calls and running summary (a hash). */
  readonly windowState: string;
  /** Messages evicted from the window and not yet folded into its summary, oldest first (a list, bounded). */
  readonly evicted: string;
  /** Checkpoint id → `{created_at, message_count, expires_at}` (a hash). */
  readonly checkpoints: string;
  /** Checkpoint id → the saved window (a hash), apart from the above so listing stays small. */
  readonly snapshots: string;
}

/** The owned keys in the order the delete script expects them. */
export const OWNED_KEYS_PER_SESSION = 7;

export function sessionKeys(userId: string, sessionId: string): SessionKeys {
  const user = hashTag(assertId(userId, 'user_id'));
  const id = assertId(sessionId, 'session_id');
  return {
    session: makeKey('session', user, id),
    systemMessages: makeKey('session', user, id, 'window', 'system'),
    conversation: makeKey('session', user, id, 'window', 'conversation'),
    windowState: makeKey('session', user, id, 'window', 'state'),
    evicted: makeKey('session', user, id, 'window', 'evicted'),
    checkpoints: makeKey('session', user, id, 'checkpoints'),
    snapshots: makeKey('session', user, id, 'checkpoints', 'snapshots'),
  };
}

export function ownedKeys(keys: SessionKeys): string[] {
  return [keys.session, keys.systemMessages, keys.conversation, keys.windowState, keys.checkpoints, keys.snapshots, keys.evicted];
}

/**
 * The user's index of sessions: a sorted set of session ids scored by expiry (epoch ms), so listing and deleting a
 * user's sessions never walk the keyspace.
 */
export function sessionIndexKey(userId: string): string {
  return makeKey('sessions', hashTag(assertId(userId, 'user_id')));
}
