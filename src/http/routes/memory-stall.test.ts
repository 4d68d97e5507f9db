import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE_KEY, testConfig } from '../../../test/support/app.js';
import { captureLogger } from '../../../test/support/log-capture.js';
import { TOKEN_ENCODINGS } from '../../index.js';
import { buildApp } from '../index.js';

/**
 * Regression: counting a message's tokens stalled the whole service. js-tiktoken's merge is quadratic in the length
 * of one pre-tokenized piece, and a repeated character is one piece: 32 KiB of "x" held the event loop for 125 s,
 * and GET /health waited that long. Here a listening server takes ten clients sending the worst inputs at the
 * default size limit while /health is polled; everything must answer. (How fast is the benchmark's business.)
 */
const WORST = ['x'.repeat(32_768), 'é'.repeat(16_384), '👋'.repeat(8_192)];
const CLIENTS = 10;

describe.each(TOKEN_ENCODINGS)('token counting under worst-case messages in %s', (tokenEncoding) => {
  let app: FastifyInstance;
  let base: string;
  beforeAll(async () => {
    // A budget the worst inputs fit in, so every append is counted, stored and evicted in full.
    app = await buildApp({ config: testConfig({ shortTermMaxTokens: 40_000, tokenEncoding }), logger: captureLogger() });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app?.close();
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${ALICE_KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it(`answers /health while ${CLIENTS} clients append 32 KiB worst-case messages`, async () => {
    const sessions = await Promise.all(Array.from({ length: CLIENTS }, async () => (await call('POST', '/sessions', { agent_id: 'stall' })).body.session_id as string));
    let sending = true;
    const healthStatuses: number[] = [];
    const poller = (async () => {
      while (sending) healthStatuses.push((await call('GET', '/health')).status);
    })();
    const appends = await Promise.all(
      sessions.map(async (id) => {
        const statuses: number[] = [];
        for (const content of WORST) {
          statuses.push((await call('POST', `/sessions/${id}/messages`, { role: 'user', content })).status);
        }
        return statuses;
      }),
    );
    sending = false;
    await poller;
    expect(appends.flat()).toEqual(Array(CLIENTS * WORST.length).fill(201));
    // /health was served between the appends, not only after them.
    expect(healthStatuses.length).toBeGreaterThan(1);
    expect(new Set(healthStatuses)).toEqual(new Set([200]));
  });
});
