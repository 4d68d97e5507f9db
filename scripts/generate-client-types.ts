/**
 * Writes src/client/openapi.ts, the typed client's types, from the OpenAPI document the service serves
 * (`npx tsx scripts/generate-client-types.ts`). test/contract/client-types.test.ts fails when the file drifts.
 */
import { writeFileSync } from 'node:fs';
import openapiTS, { astToString } from 'openapi-typescript';
import { buildApp } from '../src/http/index.js';
import { loadConfig } from '../src/index.js';

export const CLIENT_TYPES_FILE = new URL('../src/client/openapi.ts', import.meta.url);

export async function clientTypes(): Promise<string> {
  const app = await buildApp({ config: loadConfig({ REMEMBR_API_KEYS: 'docs:docs-generation-only-key', LOG_LEVEL: 'silent' }) });
  try {
    const document = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    const header = '// Generated from the service\'s OpenAPI document by scripts/generate-client-types.ts: do not edit.\n';
    return header + astToString(await openapiTS(document));
  } finally {
    await app.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) writeFileSync(CLIENT_TYPES_FILE, await clientTypes());
