import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLIENT_TYPES_FILE, clientTypes } from '../../scripts/generate-client-types.js';

/** The typed client's types are generated from the live document and checked in; a change to the API must regenerate them. */
describe('src/client/openapi.ts', () => {
  it('is what openapi-typescript makes of the document the service serves now', async () => {
    const checkedIn = readFileSync(CLIENT_TYPES_FILE, 'utf8');
    expect(checkedIn === (await clientTypes()), 'run: npx tsx scripts/generate-client-types.ts').toBe(true);
  });

  it('types the error envelope with its code as a union, so a client can branch on 404, 429 and 503', () => {
    const checkedIn = readFileSync(CLIENT_TYPES_FILE, 'utf8');
    expect(checkedIn).toMatch(/code: "VALIDATION_ERROR" \| "UNAUTHORIZED" \| "NOT_FOUND"/);
  });
});
