/**
 * A writer in a process of its own, for the client-cache tests and benchmark: another client of the same Redis,
 * as another instance of a service would be. Driven over IPC (`fork`): each message is one command, answered
 * with the wall-clock moments (performance.timeOrigin + now, comparable across processes on one machine) at which
 * it was sent and answered.
 *
 *   fork(remoteWriterPath, [redisUrl], { execArgv: ['--import', 'tsx'] })
 */
import { performance } from 'node:perf_hooks';
import { createClient } from 'redis';

export interface WriterCommand {
  id: number;
  command: string[];
}

export interface WriterAnswer {
  id: number;
  reply?: unknown;
  error?: string;
  sentAt: number;
  answeredAt: number;
}

const wallClock = () => performance.timeOrigin + performance.now();

const redisUrl = process.argv[2];
if (process.send === undefined || redisUrl === undefined) throw new Error('run with fork(path, [redisUrl]): remote-writer-client.ts does');
{
  const client = createClient({ url: redisUrl });
  client.on('error', () => {});
  await client.connect();
  process.on('message', async ({ id, command }: WriterCommand) => {
    const sentAt = wallClock();
    try {
      const reply = await client.sendCommand(command);
      process.send!({ id, reply, sentAt, answeredAt: wallClock() } satisfies WriterAnswer);
    } catch (err) {
      process.send!({ id, error: String(err), sentAt, answeredAt: wallClock() } satisfies WriterAnswer);
    }
  });
  process.on('disconnect', () => void client.close().finally(() => process.exit(0)));
  process.send({ ready: true });
}
