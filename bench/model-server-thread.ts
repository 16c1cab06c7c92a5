// A bench's model server runs in a worker thread, so its CPU is not counted against the
// engine under test. The bundle is both sides: main.ts starts a worker on a role.
import { once } from 'node:events';
import { parentPort, Worker } from 'node:worker_threads';
import { startModelServer, type Handler } from '../test/servers/model-server.js';

/** Worker side: serves `handler`, posts the server's env; answers 'calls' with its call count, stops on 'close'. */
export async function serveModels(handler: Handler): Promise<void> {
  const port = parentPort!;
  const server = await startModelServer(handler);
  port.on('message', (msg: 'calls' | 'close') => {
    if (msg === 'calls') port.postMessage(server.calls.length);
    else if (msg === 'close') void server.close().then(() => port.close());
  });
  port.postMessage(server.env());
}

export interface ModelServerThread {
  /** For a role that answers more messages than calls and close. */
  worker: Worker;
  /** OPENAI_BASE_URL, ANTHROPIC_BASE_URL and keys for a runner. */
  env: Record<string, string>;
  calls(): Promise<number>;
  close(): Promise<void>;
}

/** Main side: starts this bundle in a worker playing `role` (a serveModels role in main.ts). */
export async function startModelServerThread(role: string): Promise<ModelServerThread> {
  const worker = new Worker(new URL(import.meta.url), { workerData: { role } });
  const [env] = (await once(worker, 'message')) as [Record<string, string>];
  return {
    worker,
    env,
    async calls() {
      worker.postMessage('calls');
      return ((await once(worker, 'message')) as [number])[0];
    },
    async close() {
      worker.postMessage('close');
      await once(worker, 'exit');
    },
  };
}
