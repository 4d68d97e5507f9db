import { fork, type ChildProcess } from 'node:child_process';
import type { WriterAnswer } from './remote-writer.js';

const remoteWriterPath = new URL('./remote-writer.ts', import.meta.url).pathname;

/** The parent's side of remote-writer.ts: `send` runs one command in the other process. */
export interface RemoteWriter {
  send(command: string[]): Promise<WriterAnswer>;
  stop(): Promise<void>;
}

export async function startRemoteWriter(redisUrl: string): Promise<RemoteWriter> {
  const child: ChildProcess = fork(remoteWriterPath, [redisUrl], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const waiting = new Map<number, (answer: WriterAnswer) => void>();
  let next = 0;
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the writer exited with ${code} before it was ready`)));
    child.on('message', (message: WriterAnswer | { ready: true }) => {
      if ('ready' in message) resolve();
      else waiting.get(message.id)?.(message);
    });
  });
  return {
    send: (command) =>
      new Promise((resolve, reject) => {
        const id = next++;
        waiting.set(id, (answer) => {
          waiting.delete(id);
          if (answer.error !== undefined) reject(new Error(answer.error));
          else resolve(answer);
        });
        child.send({ id, command });
      }),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.disconnect();
      await exited;
    },
  };
}
