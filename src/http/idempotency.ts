import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { parseItem } from 'structured-headers';
import { assertIdempotencyKey, ValidationError, type IdempotencyOptions } from '../index.js';

/**
 * The `Idempotency-Key` request header (IETF httpapi "The Idempotency-Key HTTP Header Field"): one key per logical
 * write, sent again with every retry of it. The first execution's answer is recorded with the write, atomically;
 * a retry with the key gets the same status and body without the write being applied again, and the same key
 * with a different request is a 422. The draft writes the key as a structured-field string (`"…"`); a bare token
 * is taken as well.
 */
export const IdempotencyHeaders = Type.Object(
  {
    'idempotency-key': Type.Optional(
      Type.String({
        description:
          'A key you choose for this one write (a UUID, say), 1 to 255 printable ASCII characters, quoted or not. Retry with the same key after a 504 OUTCOME_UNKNOWN (or no answer): you get the first outcome, never a second write. Kept IDEMPOTENCY_TTL_SECONDS (an hour).',
      }),
    ),
  },
  { additionalProperties: true },
);

/** The library option for a request's Idempotency-Key, or none; a malformed key is a 400 naming the header. */
export function idempotencyOf(request: FastifyRequest): IdempotencyOptions | undefined {
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) return undefined;
  const text = Array.isArray(raw) ? raw.join(',') : raw;
  try {
    return { idempotencyKey: assertIdempotencyKey(structuredString(text), 'Idempotency-Key') };
  } catch (err) {
    if (err instanceof ValidationError) {
      throw new ValidationError('Idempotency-Key must be 1 to 255 printable ASCII characters (one key, sent once)', 'Idempotency-Key');
    }
    throw err;
  }
}

/** The draft's form, a structured-field string (`"…"`, escapes undone), or else the header as it is. */
function structuredString(text: string): string {
  if (!text.startsWith('"')) return text;
  try {
    const [value] = parseItem(text);
    if (typeof value === 'string') return value;
  } catch {
    // Not a well-formed sf-string: the key is then what was sent, checked like any other.
  }
  return text;
}
