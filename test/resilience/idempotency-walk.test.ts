import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { asAlice, useApp } from '../support/app.js';
import { backends } from '../support/stores.js';

/**
 * Every write route of the served OpenAPI document, walked: each documents the Idempotency-Key header, and honours
 * it (the same request sent again with the same key gets the same status and body). Driven by the document, so a
 * write route added later is walked too, with a request built from its own schemas, and fails here until it takes
 * a key or is named below with the reason it needs none.
 */
type Schema = Record<string, any>;
interface Operation {
  operationId: string;
  parameters?: Array<{ in: string; name: string }>;
  requestBody?: { content: Record<string, { schema: Schema }> };
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

/** Writes that need no key, because repeating them leaves the same state (README: "Retrying without applying twice"). */
const REPEATABLE: Record<string, string> = {
  deleteSessions: 'a second delete-all finds nothing left',
  refreshSession: 'a refresh sets the full TTL again',
  clearMessages: 'a second clear finds the window empty',
  deleteMessage: 'a second delete finds the message gone',
};

const WRITES = new Set(['post', 'put', 'patch', 'delete']);

describe.each(backends)('Idempotency-Key on every write route of the document (%s)', (backend) => {
  const ctx = useApp(backend);
  const call = (method: string, url: string, options: { key?: string; body?: unknown; type?: string } = {}) =>
    ctx.app.inject({
      method: method.toUpperCase() as 'POST',
      url,
      headers: {
        ...asAlice,
        ...(options.key === undefined ? {} : { 'idempotency-key': options.key }),
        ...(options.body === undefined ? {} : { 'content-type': options.type ?? 'application/json' }),
      },
      payload: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  /** Status and body, but for an error body's request_id, which names each request (the retry is another). */
  const answer = (res: { statusCode: number; body: string }) => {
    const body = res.body ? JSON.parse(res.body) : null;
    if (body?.error) delete body.error.request_id;
    return { status: res.statusCode, body };
  };

  const document = async () => (await ctx.app.inject({ method: 'GET', url: '/docs/json' })).json() as Document;
  const writes = (doc: Document) =>
    Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([method]) => WRITES.has(method) && path.startsWith('/api/v1/'))
        .map(([method, operation]) => ({ path, method, operation })),
    );
  const takesKey = (operation: Operation) => (operation.parameters ?? []).some((p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key');

  it('documents the header on every write route but those that need none', async () => {
    const doc = await document();
    const missing = writes(doc)
      .filter(({ operation }) => !takesKey(operation) && !(operation.operationId in REPEATABLE))
      .map(({ method, path }) => `${method.toUpperCase()} ${path}`);
    expect(missing).toEqual([]);
    expect(writes(doc).filter(({ operation }) => takesKey(operation)).length).toBeGreaterThanOrEqual(10);
  });

  it('answers a replay of every such write with the same status and body', async () => {
    const doc = await document();
    // What a request needs that its schema cannot invent: ids of things that exist. Made fresh for every route.
    const fixtures = async (): Promise<Record<string, string | number>> => {
      const session = await call('post', '/api/v1/sessions', { body: { agent_id: 'walk' } });
      const sessionId = session.json().session_id as string;
      await call('post', `/api/v1/sessions/${sessionId}/messages`, { body: { role: 'user', content: 'before' } });
      const checkpoint = await call('post', `/api/v1/sessions/${sessionId}/checkpoints`);
      // Two messages of about 3,000 tokens each overflow the 4,000-token window: the oldest go to the eviction
      // buffer, which a summary commit names the end of (through_id) with the version read beside it.
      for (let i = 0; i < 2; i++) await call('post', `/api/v1/sessions/${sessionId}/messages`, { body: { role: 'user', content: ' word'.repeat(3000) } });
      const buffer = (await call('get', `/api/v1/sessions/${sessionId}/evicted`)).json() as { summary_version: number; messages: Array<{ id: string }> };
      const taskId = `walk-${randomUUID()}`;
      await call('put', `/api/v1/tasks/${taskId}/result`, { body: { result: { walked: true } } });
      return {
        session_id: sessionId,
        task_id: taskId,
        checkpoint_id: checkpoint.json().checkpoint_id as string,
        through_id: buffer.messages[0]!.id,
        summary_version: buffer.summary_version,
      };
    };
    const walked: string[] = [];
    for (const { path, method, operation } of writes(doc).filter(({ operation }) => takesKey(operation))) {
      const ids = await fixtures();
      const url = path.replace(/\{(\w+)\}/g, (_, name: string) => {
        const id = ids[name];
        if (id === undefined) throw new Error(`the walk has no fixture for path parameter ${name} of ${operation.operationId}: add one`);
        return encodeURIComponent(String(id));
      });
      const content = operation.requestBody?.content;
      const type = content === undefined ? undefined : 'application/json' in content ? 'application/json' : Object.keys(content)[0]!;
      const body = content === undefined ? undefined : instance(content[type!]!.schema, doc, ids);
      const key = randomUUID();
      const first = await call(method, url, { key, body, type });
      const what = `${operation.operationId} (${method.toUpperCase()} ${path}): ${first.statusCode} ${first.body.slice(0, 300)}`;
      // A request the walk built wrong would be refused before the key is looked at, which proves nothing.
      expect(first.statusCode, what).toBeGreaterThanOrEqual(200);
      expect(first.statusCode, what).toBeLessThan(300);
      const replay = await call(method, url, { key, body, type });
      expect(answer(replay), what).toEqual(answer(first));
      walked.push(`${operation.operationId} ${first.statusCode}`);
    }
    console.log(JSON.stringify({ case: `idempotency walk ${backend}`, walked }));
    expect(walked.length).toBeGreaterThanOrEqual(10);
  });
});

/**
 * The smallest valid instance of a JSON schema from the document: required properties only, the first of a choice
 * or an enum, a fixture for a field named like one (a checkpoint to restore, say).
 */
function instance(schema: Schema, doc: Document, fixtures: Record<string, string | number>, name?: string): unknown {
  if (schema.$ref) return instance(doc.components.schemas[String(schema.$ref).split('/').at(-1)!]!, doc, fixtures, name);
  if (name !== undefined && name in fixtures) return fixtures[name];
  if ('const' in schema) return schema.const;
  if (schema.examples?.length) return schema.examples[0];
  if (schema.default !== undefined) return schema.default;
  if (schema.enum) return schema.enum[0];
  for (const choice of ['anyOf', 'oneOf', 'allOf'] as const) {
    if (schema[choice]) return instance(schema[choice][0], doc, fixtures, name);
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const field of schema.required ?? []) out[field] = instance(schema.properties?.[field] ?? {}, doc, fixtures, field);
      return out;
    }
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => instance(schema.items ?? {}, doc, fixtures));
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'string':
      if (schema.format === 'date-time') return new Date().toISOString();
      return 'w'.repeat(Math.max(1, schema.minLength ?? 1));
    default:
      // A schema that allows anything (a task's result): any JSON value is valid.
      return { walked: true };
  }
}
