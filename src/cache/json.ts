import { ValidationError } from '../errors.js';

/**
 * JSON.stringify that refuses what JSON would silently change: a BigInt, a function or symbol, a non-finite
 * number (it would come back as null), `undefined` at the top or inside an array (dropped or null). An object
 * property that is undefined is left out, as JSON always does, and reads back as missing. Dates are written
 * by their toJSON, so they come back as ISO-8601 strings.
 */
export function encodeJson(value: unknown): string {
  // Most values are plain data: check that cheaply and let JSON.stringify run without a replacer, which is several
  // times slower per node. Anything else takes the careful path below and gets its exact error.
  if (isPlainJson(value, 0)) return JSON.stringify(value);
  if (value === undefined) throw new ValidationError('undefined cannot be stored as JSON', 'value');
  let text: string | undefined;
  try {
    text = JSON.stringify(value, function check(this: unknown, key: string, item: unknown) {
      const kind = typeof item;
      if (kind === 'bigint' || kind === 'function' || kind === 'symbol') {
        throw new ValidationError(`${describe(key)} is a ${kind}, which JSON cannot carry`, 'value');
      }
      if (kind === 'number' && !Number.isFinite(item)) {
        throw new ValidationError(`${describe(key)} is ${String(item)}, which JSON would turn into null`, 'value');
      }
      if (item === undefined && Array.isArray(this)) {
        throw new ValidationError(`${describe(key)} is undefined inside an array, which JSON would turn into null`, 'value');
      }
      return item;
    });
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    // JSON.stringify's own TypeError: a circular structure.
    throw new ValidationError(`value cannot be stored as JSON: ${(err as Error).message.split('\n')[0]}`, 'value');
  }
  if (text === undefined) throw new ValidationError('value cannot be stored as JSON', 'value');
  return text;
}

/** Deeper than this, the careful path decides (it also reports a circular structure, which would never end here). */
const MAX_PLAIN_DEPTH = 64;

/**
 * True when JSON.stringify would write `value` exactly as it is: strings, booleans, finite numbers, null, and
 * arrays and objects of those, with no toJSON to consult. False sends the value to the careful path; it never
 * means the value is wrong. A getter is read here and again by JSON.stringify.
 */
function isPlainJson(value: unknown, depth: number): boolean {
  if (typeof value !== 'object') {
    return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
  }
  if (value === null) return true;
  if (depth > MAX_PLAIN_DEPTH || typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  // Strings, most of a value's leaves, are passed over without a call. Object.keys is what JSON.stringify walks
  // (own enumerable string keys), and cheaper than for…in with an own-property check per key.
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item !== 'string' && !isPlainJson(item, depth + 1)) return false;
    }
    return true;
  }
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const item = (value as Record<string, unknown>)[keys[i]!];
    if (typeof item !== 'string' && !isPlainJson(item, depth + 1)) return false;
  }
  return true;
}

function describe(key: string): string {
  return key === '' ? 'the value' : `property "${key}"`;
}

/**
 * JSON.parse, with every object and array of the result frozen: for a value handed to many callers (the client
 * cache's hits), where one caller changing it would change it for all.
 */
export function decodeShared(text: string): unknown {
  return deepFreeze(JSON.parse(text));
}

function deepFreeze(value: unknown): unknown {
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}
