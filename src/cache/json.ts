import { ValidationError } from '../errors.js';

/**
 * JSON.stringify that refuses what JSON would silently change: a BigInt, a function or symbol, a non-finite
 * number (it would come back as null), `undefined` at the top or inside an array (dropped or null). An object
 * property that is undefined is left out, as JSON always does, and reads back as missing. Dates are written
 * by their toJSON, so they come back as ISO-8601 strings.
 */
export function encodeJson(value: unknown): string {
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

function describe(key: string): string {
  return key === '' ? 'the value' : `property "${key}"`;
}
