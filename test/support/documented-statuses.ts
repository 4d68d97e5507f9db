import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';

/**
 * Holds the OpenAPI document to what the service really does: every (operation, status) an app answers in a test
 * suite must be documented for that operation. `observeStatuses(app)` records each answer of a route in the
 * document; when the app closes, an answer the document does not list fails the close (and so the suite's
 * afterAll), naming the operation and the status. Answers of no route (404 and 405 from the router) and hidden
 * routes (/metrics, /docs) are not operations of the document and are left out.
 *
 * Each app also leaves what it saw in .tmp/observed-statuses/, so the run can say how much the suites covered.
 */
export const OBSERVED_DIR = join(import.meta.dirname, '..', '..', '.tmp', 'observed-statuses');

interface OpenApiDocument {
  paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
}

/** `/sessions/:session_id` as the document spells it: `/sessions/{session_id}`. */
export const documentPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/** The observed answers the document does not list, as `METHOD path -> status`. */
export function undocumented(document: OpenApiDocument, observed: Iterable<[operation: string, status: number]>): string[] {
  const problems: string[] = [];
  for (const [operation, status] of observed) {
    const [method, path] = operation.split(' ') as [string, string];
    const responses = document.paths[path]?.[method.toLowerCase()]?.responses;
    if (responses === undefined) problems.push(`${operation} -> ${status} (the operation is not in the document)`);
    else if (!(String(status) in responses)) problems.push(`${operation} -> ${status}`);
  }
  return problems;
}

let apps = 0;

export function observeStatuses(app: FastifyInstance): void {
  const seen = new Map<string, number>();
  app.addHook('onResponse', async (request, reply) => {
    const { url, schema } = request.routeOptions;
    if (url === undefined || (schema as { hide?: boolean } | undefined)?.hide) return;
    // HEAD is answered by the GET route's handler and documented with it.
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    const key = `${method} ${documentPath(url)}\t${reply.statusCode}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  });
  app.addHook('onClose', async () => {
    if (seen.size === 0) return;
    const pairs = [...seen.keys()].map((key) => {
      const [operation, status] = key.split('\t') as [string, string];
      return [operation, Number(status)] as [string, number];
    });
    mkdirSync(OBSERVED_DIR, { recursive: true });
    writeFileSync(join(OBSERVED_DIR, `${process.pid}-${++apps}.json`), JSON.stringify(pairs));
    const problems = undocumented(app.swagger() as unknown as OpenApiDocument, pairs);
    if (problems.length > 0) {
      throw new Error(`The service answered statuses its OpenAPI document does not list:\n  ${problems.join('\n  ')}`);
    }
  });
}
