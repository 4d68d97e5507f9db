import { hash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import type { ApiKey } from '../index.js';
import { HttpError } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling, set by the auth hook on every /api/v1 route but health. */
    caller: Caller;
  }
}

export interface Caller {
  /** The verified user, or `local` when the service runs open. */
  userId: string;
  /** What the rate limiter counts against: the user, or the client address when open. */
  bucket: string;
}

/** The user the service runs as when no API keys are configured (local only). */
export const LOCAL_USER = 'local';

// One call, no Hash object to build and finish: this runs for every request.
const digest = (key: string) => hash('sha256', key, 'buffer');

/** The key a request presents, from `Authorization: Bearer …` or `X-API-Key`. */
export function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match) return match[1];
  }
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey.length > 0 ? apiKey : undefined;
}

/**
 * Verifies the caller against the configured keys. Keys are kept as SHA-256 digests, and every digest is compared
 * in constant time, so neither the keys nor the position of a match leak through timing.
 *
 * A key that passed that check once is remembered with its caller, so its next requests skip the digest (the
 * largest part of this check's cost). Only verified keys are remembered: a guess is never stored, always pays
 * the full constant-time check, and can only find a remembered entry by being a valid key itself, which its answer
 * says anyway. That bounds the map by the number of configured keys, which the process holds already (its
 * configuration). Neither map nor key is ever logged.
 */
export function createAuthenticator(apiKeys: readonly ApiKey[]): (request: FastifyRequest) => Caller | undefined {
  // Each user's caller is made once and shared by all its requests (nothing writes to it).
  const known = apiKeys.map(({ userId, key }) => ({ caller: Object.freeze({ userId, bucket: `user:${userId}` }), digest: digest(key) }));
  if (known.length === 0) {
    return (request) => ({ userId: LOCAL_USER, bucket: `ip:${request.ip}` });
  }
  const verified = new Map<string, Caller>();
  // And by the whole `Authorization: Bearer <key>` text a verified key was sent in, so the usual request also skips
  // parsing the header. Only that exact form of a verified key is stored: again one entry per configured key.
  const verifiedHeaders = new Map<string, Caller>();
  return (request) => {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const remembered = verifiedHeaders.get(header);
      if (remembered !== undefined) return remembered;
    }
    const key = presentedKey(request);
    if (key === undefined) return undefined;
    let match = verified.get(key);
    if (match === undefined) {
      const presented = digest(key);
      for (const entry of known) {
        if (timingSafeEqual(entry.digest, presented) && match === undefined) match = entry.caller;
      }
      if (match === undefined) return undefined;
      // At most one entry per configured key: two texts never share a digest.
      if (verified.size < known.length) verified.set(key, match);
    }
    if (header === `Bearer ${key}` && verifiedHeaders.size < known.length) verifiedHeaders.set(header, match);
    return match;
  };
}

const KNOWN_SCHEMES = ['Basic', 'Digest', 'Token', 'ApiKey', 'Negotiate', 'HOBA', 'Mutual', 'AWS4-HMAC-SHA256'];

/** Says what was wrong with the credentials: none, a scheme other than Bearer (Basic, say), or an unknown key. */
function unauthorizedMessage(request: FastifyRequest): string {
  if (presentedKey(request) !== undefined) return 'Invalid API key';
  const header = request.headers.authorization;
  if (typeof header === 'string' && header.trim() !== '') {
    // Only a scheme from this list is named back: a bare key in the header must never be echoed.
    const scheme = KNOWN_SCHEMES.find((known) => header.trimStart().toLowerCase().startsWith(`${known.toLowerCase()} `));
    return `Authorization ${scheme ? `uses the ${scheme} scheme, which the service does not accept` : 'is not of the form Bearer <key>'}: send Authorization: Bearer <key> or X-API-Key: <key>`;
  }
  return 'Missing API key: send Authorization: Bearer <key> or X-API-Key: <key>';
}

/**
 * The onRequest hook: 401 unless the caller is verified. `onFailure` sees every failed attempt first (the
 * per-address failure limit counts it there, and may answer 429 instead).
 */
export function authenticate(
  verify: (request: FastifyRequest) => Caller | undefined,
  onFailure?: (request: FastifyRequest) => Promise<void>,
): onRequestHookHandler {
  // A callback hook, not an async one: a verified request (nearly all of them) costs no promise here.
  return (request, _reply, done) => {
    const caller = verify(request);
    if (caller !== undefined) {
      request.caller = caller;
      return done();
    }
    const refuse = () => done(new HttpError(401, 'UNAUTHORIZED', unauthorizedMessage(request), undefined, { 'www-authenticate': 'Bearer' }));
    if (onFailure === undefined) return refuse();
    onFailure(request).then(refuse, done);
  };
}
