import { ValidationError } from './errors.js';

/** Every key Remembr writes starts with this, so a pattern delete can be confined to it. */
export const KEY_PREFIX = 'remembr';

/** A session lives one hour after its last refresh. */
export const SESSION_TTL = 3600;
/** The short-term window of a conversation: 30 minutes after its last read or write. */
export const SHORT_TERM_TTL = 1800;
/** Checkpoints and other data worth keeping for a day. */
export const LONG_TERM_TTL = 86400;

/**
 * A key part may carry letters, digits and `_ - . @ + = ~ /`. Anything else is refused rather than escaped:
 * `:` would move the part into another segment, `* ? [ ] \` are glob syntax that SCAN MATCH interprets, `{ }`
 * would change the Redis Cluster hash slot, and whitespace or control characters make keys impossible to read.
 */
const PART = /^[A-Za-z0-9_\-.@+=~/]+$/;
const MAX_PART_LENGTH = 200;

export type KeyPart = string | number;

function checkPart(part: KeyPart, position: string): string {
  const text = typeof part === 'number' ? String(part) : part;
  if (typeof part === 'number' && !Number.isSafeInteger(part)) {
    throw new ValidationError(`key ${position} must be a whole number or a string, got ${text}`, 'key');
  }
  if (typeof text !== 'string' || text.length === 0) {
    throw new ValidationError(`key ${position} must be a non-empty string`, 'key');
  }
  if (text.length > MAX_PART_LENGTH) {
    throw new ValidationError(`key ${position} is longer than ${MAX_PART_LENGTH} characters`, 'key');
  }
  if (!PART.test(text)) {
    throw new ValidationError(
      `key ${position} may only contain letters, digits and _ - . @ + = ~ / (got ${JSON.stringify(text.slice(0, 40))})`,
      'key',
    );
  }
  return text;
}

/**
 * A `{…}` hash tag, made by `hashTag()`: keys that one atomic operation touches together share one so the same
 * script runs on Redis Cluster. It is an object, not a string, so text from outside can never pose as one.
 */
export class HashTag {
  readonly value: string;
  // Checked in the constructor, not only in hashTag(): the class is exported and `new HashTag('x}:*')` must not slip past.
  constructor(value: KeyPart) {
    this.value = checkPart(value, 'hash tag');
  }
}

export function hashTag(part: KeyPart): HashTag {
  return new HashTag(part);
}

/**
 * Builds `remembr:<namespace>:<part>:…`, the only way Remembr names a key.
 * Throws a ValidationError for a part that could reach another key space (see PART above).
 */
export function makeKey(namespace: string, ...parts: Array<KeyPart | HashTag>): string {
  const segments = [checkPart(namespace, 'namespace')];
  parts.forEach((part, i) => {
    segments.push(part instanceof HashTag ? `{${part.value}}` : checkPart(part, `part ${i + 1}`));
  });
  return `${KEY_PREFIX}:${segments.join(':')}`;
}

/**
 * `makeKey(namespace, hashTag(tagId), id)` for ids that arrive from outside, each checked once by `assertId` under
 * its field name. `assertId`'s rule is narrower than a key part's (its characters are a subset, at most 128 of them),
 * so a part that passed it needs no second check: the namespace is checked here, once, and each key then costs two
 * tests instead of five (a session read builds one per request).
 */
export function idKeys(namespace: string, tagField: string, idField: string): (tagId: string, id: string) => string {
  const base = `${KEY_PREFIX}:${checkPart(namespace, 'namespace')}:{`;
  return (tagId, id) => `${base}${assertId(tagId, tagField)}}:${assertId(id, idField)}`;
}

/**
 * `makeKey(namespace, ...parts, ...more)` from `key`, which makeKey built from (namespace, ...parts): only `more` is
 * checked, so a family of keys under one base (a session's seven) validates its ids once instead of once per key.
 */
export function keyBelow(key: string, ...more: KeyPart[]): string {
  return `${key}:${more.map((part, i) => checkPart(part, `part +${i + 1}`)).join(':')}`;
}

/**
 * The pattern of every key below `makeKey(namespace, ...parts)`: `remembr:<namespace>:<part>…:*`.
 * This is the guide's `make_key(namespace, part, "*")`; it is a separate function so that an id from outside
 * that happens to be `*` can never turn a key into a pattern.
 */
export function makePattern(namespace: string, ...parts: Array<KeyPart | HashTag>): string {
  return `${makeKey(namespace, ...parts)}:*`;
}

const GLOB = /[*?[\]\\]/;

/**
 * Refuses a pattern that could delete outside one namespace of Remembr: it must start with `remembr:`, then a
 * namespace written out in full, then `:`, before any glob character.
 */
export function assertScopedPattern(pattern: string): void {
  if (typeof pattern !== 'string' || pattern.length === 0) {
    throw new ValidationError('pattern must be a non-empty string', 'pattern');
  }
  const literal = pattern.split(GLOB, 1)[0] ?? '';
  const namespaced = new RegExp(`^${KEY_PREFIX}:[^:*?[\\]\\\\]+:`);
  if (!namespaced.test(literal)) {
    throw new ValidationError(
      `pattern must start with "${KEY_PREFIX}:<namespace>:" before any wildcard (got ${JSON.stringify(pattern.slice(0, 60))})`,
      'pattern',
    );
  }
}

/** What an id from outside may contain: a subset of a key part's characters (PART). */
const ID = /^[A-Za-z0-9_\-.]+$/;

/**
 * An id that arrives from outside (path, body, caller): the same rule as a key part, with its field name. `.` and
 * `..` are refused too, as the HTTP shell refuses them (src/http/id-rule.ts): fetch, curl and every URL parser
 * rewrite such a path segment, so what the library wrote under one could never be read back over HTTP.
 */
export function assertId(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 128 || !ID.test(value)) {
    throw new ValidationError(`${field} must be 1 to 128 letters, digits, '_', '-' or '.'`, field);
  }
  if (value === '.' || value === '..') {
    throw new ValidationError(`${field} must not be "." or "..": URLs rewrite them, so the id could not be read back over HTTP`, field);
  }
  return value;
}
