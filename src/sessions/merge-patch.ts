/**
 * RFC 7386 JSON Merge Patch on parsed JSON: a member set to null is removed, an object merges into an object
 * member by member (recursively), and anything else replaces what was there, arrays included. The memory store's
 * twin of patch-metadata.lua applies it; the Lua works on the JSON text instead, to keep every untouched value's
 * text exactly as it was. Neither argument is changed.
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const result: Record<string, unknown> = {};
  if (isObject(target)) for (const [name, value] of Object.entries(target)) define(result, name, value);
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) delete result[name];
    else define(result, name, applyMergePatch(Object.hasOwn(result, name) ? result[name] : undefined, value));
  }
  return result;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own member even when its name is `__proto__`, which plain assignment would take for the prototype. */
function define(object: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(object, name, { value, enumerable: true, writable: true, configurable: true });
}
