import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { encodeJson } from './json.js';

/** Nested arrays `depth` levels deep around `inner`. */
function nest(depth: number, inner: unknown): unknown {
  let value = inner;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

describe('encodeJson', () => {
  it('writes any JSON value exactly as JSON.stringify does', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(encodeJson(value)).toBe(JSON.stringify(value));
      }),
    );
  });

  it('writes values nested deeper than its quick check as JSON.stringify does', () => {
    const deep = nest(200, { name: 'deep', n: 1 });
    expect(encodeJson(deep)).toBe(JSON.stringify(deep));
  });

  // The quick check hands anything it is unsure of to the careful path; these must still be refused there.
  it.each([
    ['a BigInt below the quick check depth', () => nest(100, { count: 1n })],
    ['NaN below the quick check depth', () => nest(100, Number.NaN)],
    ['a function property', () => ({ user: { onSave: () => 1 } })],
    ['a circular structure', () => {
      const node: { next?: unknown } = {};
      node.next = { back: node };
      return node;
    }],
  ])('refuses %s with ValidationError', (_name, make) => {
    expect(() => encodeJson(make())).toThrow(ValidationError);
  });

  it('consults toJSON, and leaves out undefined object properties, as JSON.stringify does', () => {
    const value = { at: new Date('2024-05-06T07:08:09.010Z'), custom: { toJSON: () => 'custom' }, gone: undefined };
    expect(encodeJson(value)).toBe('{"at":"2024-05-06T07:08:09.010Z","custom":"custom"}');
  });
});
