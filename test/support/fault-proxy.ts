import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as it reached the proxy: what a client really put on the wire. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly idempotencyKey: string | undefined;
}

/**
 * What the proxy does with a request: pass it on, refuse it without passing it on (a 503 from a load balancer
 * that found no healthy backend), or pass it on and drop the service's answer (a gateway timing out after the
 * service received the request: the write happened and the client cannot know).
 */
export type Fault = 'forward' | { refuse: number; retryAfter?: string } | { forwardThenAnswer: number; retryAfter?: string };

/**
 * A small HTTP proxy in front of the started service, for the faults a client meets between it and the service.
 * `plan` is asked for each request in turn; every request is recorded.
 */
export interface FaultProxy {
  readonly baseUrl: string;
  readonly seen: SeenRequest[];
  plan: (request: SeenRequest, index: number) => Fault;
  close(): Promise<void>;
}

async function bodyOf(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const proxy: FaultProxy = {
    baseUrl: '',
    seen: [],
    plan: () => 'forward',
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server: Server = createServer(async (request, response) => {
    const key = request.headers['idempotency-key'];
    const seen: SeenRequest = { method: request.method ?? 'GET', path: request.url ?? '/', idempotencyKey: Array.isArray(key) ? key.join(',') : key };
    const fault = proxy.plan(seen, proxy.seen.length);
    proxy.seen.push(seen);
    const body = await bodyOf(request);
    const answerWith = (status: number, retryAfter: string | undefined) =>
      response.writeHead(status, { 'content-type': 'text/plain', ...(retryAfter === undefined ? {} : { 'retry-after': retryAfter }) }).end(`proxy: ${status}`);
    if (typeof fault === 'object' && 'refuse' in fault) return answerWith(fault.refuse, fault.retryAfter);
    const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name))) as Record<string, string>;
    const upstream = await fetch(`${target}${seen.path}`, { method: seen.method, headers, ...(body.length > 0 ? { body: new Uint8Array(body) } : {}) });
    const text = await upstream.text();
    if (typeof fault === 'object') return answerWith(fault.forwardThenAnswer, fault.retryAfter);
    response.writeHead(upstream.status, Object.fromEntries([...upstream.headers].filter(([name]) => !['content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(name))));
    response.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  Object.assign(proxy, { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  return proxy;
}
