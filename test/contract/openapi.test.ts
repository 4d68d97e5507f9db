import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/index.js';
import { errorResponse } from '../../src/http/schemas.js';
import { asAlice, testConfig } from '../support/app.js';
import { observeStatuses, undocumented } from '../support/documented-statuses.js';
import { captureLogger } from '../support/log-capture.js';

/**
 * The OpenAPI document as a third party reads it: `redocly lint` with its recommended ruleset, run on the document
 * the service serves, must find nothing at all — no error and no warning. A route added without an operationId, a
 * summary, or a 4xx answer fails here.
 */
const root = join(import.meta.dirname, '..', '..');
const workDir = join(root, '.tmp', 'contract');

interface Document {
  paths: Record<string, Record<string, { operationId?: string; responses: Record<string, { headers?: Record<string, unknown>; content?: unknown }> }>>;
  components: { schemas: Record<string, unknown> };
}

function redoclyLint(file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js'), 'lint', file, '--format=json'], {
      cwd: root,
      // No telemetry and no update check: CI runs offline.
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the OpenAPI document', () => {
  let app: FastifyInstance;
  let document: Document;
  beforeAll(async () => {
    app = await buildApp({ config: testConfig(), logger: captureLogger() });
    await app.ready();
    const res = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    document = res.json();
  });
  afterAll(async () => app?.close());

  it('passes redocly lint (recommended ruleset, redocly.yaml) with 0 errors and 0 warnings', async () => {
    mkdirSync(workDir, { recursive: true });
    const file = join(workDir, 'openapi.json');
    writeFileSync(file, JSON.stringify(document, null, 2));
    const result = await redoclyLint(file);
    const report = JSON.parse(result.stdout) as { totals: { errors: number; warnings: number }; problems: { ruleId: string; message: string; location: { pointer: string }[] }[] };
    const problems = report.problems.map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`);
    expect(problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    expect(result.code).toBe(0);
  });

  it('names its schemas in components and refers to them', () => {
    for (const name of ['Error', 'ErrorDetail', 'Session', 'Message', 'MessageRole', 'TokenUsage', 'Checkpoint', 'TaskResult', 'Health']) {
      expect(document.components.schemas, name).toHaveProperty(name);
    }
    const getSession = document.paths['/api/v1/sessions/{session_id}']!.get!;
    expect(getSession.responses['200']!.content).toEqual({ 'application/json': { schema: { $ref: '#/components/schemas/Session' } } });
    expect(getSession.responses['404']!.content).toEqual({ 'application/json': { schema: { $ref: '#/components/schemas/Error' } } });
  });

  it('documents the headers each answer carries', () => {
    const operations = Object.values(document.paths).flatMap((methods) => Object.values(methods));
    expect(operations.length).toBeGreaterThanOrEqual(15);
    for (const operation of operations) {
      for (const [status, response] of Object.entries(operation.responses)) {
        expect(response.headers, `${operation.operationId} ${status}`).toHaveProperty('X-Request-ID');
        if (status === '429' || status === '503') expect(response.headers).toHaveProperty('Retry-After');
      }
    }
    const counted = document.paths['/api/v1/sessions']!.get!.responses;
    for (const status of ['200', '400', '429']) expect(Object.keys(counted[status]!.headers!)).toEqual(expect.arrayContaining(['RateLimit', 'RateLimit-Policy']));
    expect(counted['401']!.headers).not.toHaveProperty('RateLimit');
    expect(document.paths['/api/v1/health']!.get!.responses['200']!.headers).not.toHaveProperty('RateLimit');
  });
});

describe('the documented-status check', () => {
  it('fails the close of an app that answered a status its document does not list, naming both', async () => {
    const app = await buildApp({ config: testConfig(), logger: captureLogger() });
    app.get(
      '/api/v1/teapot',
      { schema: { operationId: 'teapot', summary: 'A route that says more than it documents', tags: ['health'], response: { 200: { type: 'string' }, 404: errorResponse('Not here') } } },
      async (_request, reply) => reply.code(418 as 200).send('short and stout'),
    );
    observeStatuses(app);
    await app.ready();
    expect((await app.inject({ method: 'GET', url: '/api/v1/teapot', headers: asAlice })).statusCode).toBe(418);
    // Statuses the route shares with every route (400 for an unknown query parameter) are documented for it too.
    expect((await app.inject({ method: 'GET', url: '/api/v1/teapot?x=1', headers: asAlice })).statusCode).toBe(400);
    await expect(app.close()).rejects.toThrow(/GET \/api\/v1\/teapot -> 418$/);
  });

  it('finds an operation missing from the document, and passes what is listed', () => {
    const document = { paths: { '/a/{id}': { get: { responses: { '200': {}, '404': {} } } } } };
    expect(undocumented(document, [['GET /a/{id}', 200], ['GET /a/{id}', 404]])).toEqual([]);
    expect(undocumented(document, [['GET /a/{id}', 500], ['POST /a/{id}', 200]])).toEqual([
      'GET /a/{id} -> 500',
      'POST /a/{id} -> 200 (the operation is not in the document)',
    ]);
  });
});
