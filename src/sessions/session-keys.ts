import { assertId, hashTag, idKeys, keyBelow, makeKey } from '../keys.js';

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

/** The suffixes of a session's owned keys below its own, checked once here rather than on every call. */
const BELOW = {
  systemMessages: keyBelow('', 'window', 'system'),
  conversation: keyBelow('', 'window', 'conversation'),
  windowState: keyBelow('', 'window', 'state'),
  evicted: keyBelow('', 'window', 'evicted'),
  checkpoints: keyBelow('', 'checkpoints'),
  snapshots: keyBelow('', 'checkpoints', 'snapshots'),
};

/** The session's own key, for a call that needs no other (a read of the session). */
export const sessionKey: (userId: string, sessionId: string) => string = idKeys('session', 'user_id', 'session_id');

export function sessionKeys(userId: string, sessionId: string): SessionKeys {
  // The ids are checked once, for the session's own key; the others are that key and constant parts (every append
  // builds all seven, and checking the ids seven times was a visible share of its CPU profile).
  const session = sessionKey(userId, sessionId);
  return {
    session,
    systemMessages: session + BELOW.systemMessages,
    conversation: session + BELOW.conversation,
    windowState: session + BELOW.windowState,
    evicted: session + BELOW.evicted,
    checkpoints: session + BELOW.checkpoints,
    snapshots: session + BELOW.snapshots,
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
