import { describe, expect, it } from 'vitest';
import { BusyError } from '../index.js';
import { mapError } from './errors.js';

describe('mapError', () => {
  // Regression: under load the token-counting worker went silent, and its plain Error answered appends with 500.
  it('answers a failed token count with a 503 that says nothing was changed', () => {
    const mapped = mapError(new BusyError('the token-counting worker answered nothing for 30000 ms'), true);
    expect(mapped).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', headers: { 'retry-after': '1' } });
    expect(mapped.message).toMatch(/nothing was changed/);
  });
});
