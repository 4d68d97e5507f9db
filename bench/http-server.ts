/**
 * The HTTP case's server process: Remembr's real app (`buildApp`, on Redis, with an API key and a rate limit too
 * high to meet) and a bare Fastify app doing the nearest plain equivalent of each route on the same node-redis connections,
 * both listening on free ports of one process. It creates one session, prints one JSON line with the addresses,
 * answers `cpu` on stdin with its CPU time so far, and runs until its stdin closes.
 *
 *   node --import tsx bench/http-server.ts <redis url>
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import Fastify from 'fastify';
import { buildApp } from '../src/http/index.js';
import { DEFAULTS, RedisStore, withCharge, type Config } from '../src/index.js';
import { sessionKeys } from '../src/sessions/session-keys.js';

const USER = 'bench-user';
const API_KEY = 'bench-api-key-0123456789abcdef';
const redisUrl = process.argv[2];
if (!redisUrl) throw new Error('usage: http-server.ts <redis url>');

const config: Config = {
  ...DEFAULTS,
  environment: 'production',
  redisUrl,
  apiKeys: [{ userId: USER, key: API_KEY }],
  // Out of reach, yet checked on every request: the library row and the service share the user's bucket, and
  // together they now pass a million requests within one minute's window.
  rateLimitPerMinute: 1_000_000_000,
  authFailuresPerMinute: 1_000_000,
};
const app = await buildApp({ config, ...(process.env.BENCH_DEBUG ? { logger: (await import('../src/index.js')).createLogger({ level: 'debug' }) } : {}) });
await app.ready();
const store = app.remembr.store;
if (!(store instanceof RedisStore)) throw new Error('the HTTP case needs the Redis store');

// On a busy machine the store may still be connecting when the app is ready: wait for Redis to answer first.
for (let attempt = 0; ; attempt++) {
  try {
    await store.ping();
    break;
  } catch (err) {
    if (attempt >= 50) throw err;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
const created = await app.inject({
  method: 'POST',
  url: '/api/v1/sessions',
  headers: { authorization: `Bearer ${API_KEY}` },
  payload: { agent_id: 'bench-agent' },
});
if (created.statusCode !== 201) throw new Error(`creating the session answered ${created.statusCode}: ${created.body}`);
const sessionId = (created.json() as { session_id: string }).session_id;

// The bare routes: no auth, no rate limit, no validation beyond what Fastify does by itself, one Redis command each,
// on the store's own connections (`client` hands them out round-robin, as the store does).
const bare = Fastify();
bare.get<{ Params: { id: string } }>('/sessions/:id', async (request, reply) => {
  const text = await store.client.get(sessionKeys(USER, request.params.id).session);
  if (text === null) return reply.code(404).send({ error: 'not found' });
  return JSON.parse(text) as unknown;
});
bare.post<{ Params: { id: string }; Body: { role: string; content: string } }>('/sessions/:id/messages', async (request, reply) => {
  const message = { role: request.body.role, content: request.body.content, createdAt: new Date().toISOString() };
  await store.client.rPush(`remembr:benchbare:${request.params.id}`, JSON.stringify(message));
  return reply.code(201).send(message);
});

// The same library calls Remembr's GET and POST make (the caller's rate-limit charge, carried by the component's
// script in one round trip, see src/rate-limit/charge.ts), with none of the HTTP stack around them: what the
// service adds over its library shows as the difference.
const remembr = app.remembr;
const charged = <T>(work: () => Promise<T>) => withCharge(remembr.rateLimiter.charge(`user_${USER}`, { hashTag: USER }), work);
bare.get<{ Params: { id: string } }>('/library/sessions/:id', async (request, reply) => {
  const session = await charged(() => remembr.sessions.get(USER, request.params.id));
  if (session === null) return reply.code(404).send({ error: 'not found' });
  return session;
});
bare.post<{ Params: { id: string }; Body: { role: 'user'; content: string } }>('/library/sessions/:id/messages', async (request, reply) => {
  const appended = await charged(() => remembr.memory.append(USER, request.params.id, request.body));
  if (appended === null) return reply.code(404).send({ error: 'not found' });
  return reply.code(201).send(appended.message);
});

const appAddress = await app.listen({ port: 0, host: '127.0.0.1' });
const bareAddress = await bare.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ appAddress, bareAddress, sessionId, apiKey: API_KEY })}\n`);

// `cpu` asks for this process's CPU time so far (µs), so the benchmark can put a CPU cost on each request.
// `profile-start` and `profile-stop <file>` take a CPU profile of the server under load, without its start-up (how
// the notes in BENCHMARKS.md on where a request's time goes were found).
// `loop` answers this process's event-loop delay since the last `loop` (p99 and max, ms): what a request waited for
// the main thread, apart from the machine's and the client's own delays.
let inspector: Session | undefined;
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();
createInterface({ input: process.stdin }).on('line', (line) => {
  void (async () => {
    if (line === 'cpu') {
      const used = process.cpuUsage();
      process.stdout.write(`${JSON.stringify({ cpuUs: used.user + used.system })}\n`);
    } else if (line === 'loop') {
      process.stdout.write(`${JSON.stringify({ p99Ms: loopDelay.percentile(99) / 1e6, maxMs: loopDelay.max / 1e6 })}\n`);
      loopDelay.reset();
    } else if (line === 'profile-start') {
      inspector = new Session();
      inspector.connect();
      await inspector.post('Profiler.enable');
      // 100 µs instead of the default 1 ms: a request here costs tens of µs, and the items worth finding are fractions of one.
      await inspector.post('Profiler.setSamplingInterval', { interval: 100 });
      await inspector.post('Profiler.start');
      process.stdout.write('{}\n');
    } else if (line.startsWith('profile-stop ') && inspector !== undefined) {
      const { profile } = await inspector.post('Profiler.stop');
      writeFileSync(line.slice('profile-stop '.length), JSON.stringify(profile));
      inspector.disconnect();
      inspector = undefined;
      process.stdout.write('{}\n');
    }
  })();
});
process.stdin.on('end', async () => {
  await bare.close();
  await app.close();
  process.exit(0);
});
