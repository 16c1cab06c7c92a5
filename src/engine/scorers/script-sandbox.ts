// Scorer scripts are user code: each runs in worker threads with a per-call timeout and a heap
// cap, so an endless loop, a promise that never settles or a memory bomb costs one sample (an
// error naming the script), never the run.
import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

export const DEFAULT_SCRIPT_LIMITS = { timeoutMs: 10_000, memoryMb: 256 } as const;
/** What a metric may set: ten minutes a call; enough heap for V8 to start, and at most 16 GiB. */
export const SCRIPT_LIMIT_BOUNDS = { maxTimeoutMs: 600_000, minMemoryMb: 16, maxMemoryMb: 16_384 } as const;

export interface ScriptLimits {
  /** Per call, and for loading the module. */
  timeoutMs: number;
  /** The worker's JavaScript heap (V8 old generation). */
  memoryMb: number;
}

/** Starting a worker and importing the module may take longer than a call on a busy machine. */
const MIN_LOAD_TIMEOUT_MS = 5_000;

/** After this many stopped calls in a row, the script is not run again in this run: each would cost a full timeout. */
const MAX_STOPS_IN_A_ROW = 3;

// The worker: imports the module, then answers {id, ctx} with {id, result} or {id, error}. It
// is evaluated as a CommonJS script, so it is plain JavaScript kept small.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const failure = (err) => ({
  message: err instanceof Error ? err.name + ': ' + err.message : String(err),
  stack: err instanceof Error ? String(err.stack) : '',
});
import(workerData.url).then(
  (mod) => {
    if (typeof mod.default !== 'function') return parentPort.postMessage({ noDefault: true });
    parentPort.on('message', async ({ id, ctx }) => {
      let result;
      try {
        result = await mod.default(ctx);
      } catch (err) {
        return parentPort.postMessage({ id, error: failure(err) });
      }
      try {
        parentPort.postMessage({ id, result });
      } catch {
        parentPort.postMessage({ id, error: { message: 'returned ' + String(result).slice(0, 100) + ', which cannot leave its worker thread', returned: true } });
      }
    });
    parentPort.postMessage({ ready: true });
  },
  (err) => parentPort.postMessage({ load: failure(err) }),
);
`;

interface WorkerFailure {
  message: string;
  stack?: string;
  /** The script returned a value that cannot be copied out (a function, say): no exception. */
  returned?: boolean;
}

type Reply = { id: number; result?: unknown; error?: WorkerFailure } | { ready: true } | { load: WorkerFailure } | { noDefault: true };

export interface ScriptLocation {
  file: string;
  line: number;
  column?: number;
}

/**
 * The script's own code failed: it threw, returned what cannot leave the worker, or does not
 * load. The message names the script and, when the stack shows it, the file and line.
 */
export class ScriptError extends Error {
  constructor(
    message: string,
    readonly at?: ScriptLocation,
    /** Failed while loading: the metric cannot score anything. */
    readonly loading = false,
  ) {
    super(message);
    this.name = 'ScriptError';
  }
}

interface Call {
  ctx: unknown;
  resolve: (result: unknown) => void;
  reject: (err: Error) => void;
}

/**
 * One scorer module in a small pool of workers (one call in flight per worker, so a timeout
 * blames the right sample). A worker that times out, runs out of heap or ends is terminated
 * and replaced for the next call.
 */
export class ScriptSandbox {
  private readonly queue: Call[] = [];
  private readonly idle: Worker[] = [];
  private readonly workers = new Set<Worker>();
  private lanes = 0;
  private nextId = 0;
  private stopsInARow = 0;
  private lastStop = '';
  private closed = false;
  private readonly size = Math.min(4, availableParallelism());

  private constructor(
    private readonly root: string,
    /** Repo-relative, as the suite names it. */
    readonly path: string,
    private readonly limits: ScriptLimits,
  ) {}

  /** Starts the first worker, so a module that does not load fails here, before any sample. */
  static async open(root: string, path: string, limits: ScriptLimits): Promise<ScriptSandbox> {
    const sandbox = new ScriptSandbox(root, path, limits);
    sandbox.idle.push(await sandbox.spawn());
    return sandbox;
  }

  /** Runs the default export on `ctx`; rejects with a ScriptError or an Error saying why the script was stopped. */
  score(ctx: unknown): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error(`scorer script ${this.path} was called after its run ended`));
    return new Promise((resolve, reject) => {
      this.queue.push({ ctx, resolve, reject });
      if (this.lanes < this.size) void this.lane();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const call of this.queue.splice(0)) call.reject(new Error(`scorer script ${this.path} was not run: the run ended`));
    await Promise.all([...this.workers].map((w) => w.terminate()));
  }

  /** Takes calls off the queue one at a time, on its own worker, until the queue is empty. */
  private async lane(): Promise<void> {
    this.lanes++;
    let worker: Worker | undefined = this.idle.pop();
    try {
      for (let call = this.queue.shift(); call; call = this.queue.shift()) {
        if (this.stopsInARow >= MAX_STOPS_IN_A_ROW) {
          call.reject(
            new Error(
              `scorer script ${this.path} was not run: it was stopped ${MAX_STOPS_IN_A_ROW} times in a row (last: ${this.lastStop}); fix it and run again`,
            ),
          );
          continue;
        }
        try {
          worker ??= await this.spawn();
        } catch (err) {
          call.reject(err as Error);
          continue;
        }
        if (!(await this.execute(worker, call))) worker = undefined;
      }
    } finally {
      this.lanes--;
      if (worker && !this.closed) this.idle.push(worker);
    }
  }

  /** Starts a worker and waits until the module is loaded. */
  private spawn(): Promise<Worker> {
    const { memoryMb } = this.limits;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { url: pathToFileURL(join(this.root, this.path)).href },
      resourceLimits: { maxOldGenerationSizeMb: memoryMb },
    });
    // Idle workers must not keep the process alive; a call in flight holds its own timer.
    worker.unref();
    this.workers.add(worker);
    worker.once('exit', () => {
      this.workers.delete(worker);
      const i = this.idle.indexOf(worker);
      if (i !== -1) this.idle.splice(i, 1);
    });
    return new Promise((resolve, reject) => {
      const fail = (err: ScriptError) => {
        worker.off('message', onReply);
        reject(err);
      };
      const cleanup = this.watch(worker, 'loading', (stopped) =>
        fail(new ScriptError(`scorer script ${this.path} ${stopped}`, undefined, true)),
      );
      const onReply = (reply: Reply) => {
        if ('id' in reply) return;
        cleanup();
        if ('ready' in reply) {
          worker.off('message', onReply);
          resolve(worker);
          return;
        }
        void worker.terminate();
        if ('noDefault' in reply) {
          fail(
            new ScriptError(
              `scorer script ${this.path} must have a default export \`(ctx) => number | boolean | {score, reason}\``,
              { file: this.path, line: 1 },
              true,
            ),
          );
        } else {
          void this.locateLoadFailure(reply.load).then((at) =>
            fail(new ScriptError(`cannot load scorer script ${this.path}: ${reply.load.message}${where(at)}`, at, true)),
          );
        }
      };
      worker.on('message', onReply);
    });
  }

  /** Sends one call and settles it; resolves false when the worker was stopped. */
  private execute(worker: Worker, call: Call): Promise<boolean> {
    const id = this.nextId++;
    return new Promise((done) => {
      const onMessage = (reply: Reply) => {
        if (!('id' in reply) || reply.id !== id) return;
        cleanup();
        worker.off('message', onMessage);
        this.stopsInARow = 0;
        if (reply.error) call.reject(this.scriptError(reply.error));
        else call.resolve(reply.result);
        done(true);
      };
      const cleanup = this.watch(worker, 'scoring', (stopped) => {
        worker.off('message', onMessage);
        this.stopsInARow++;
        this.lastStop = stopped;
        call.reject(new Error(`scorer script ${this.path} ${stopped}`));
        done(false);
      });
      worker.on('message', onMessage);
      worker.postMessage({ id, ctx: call.ctx });
    });
  }

  /**
   * Stops `worker` when it exceeds the timeout, its heap, or ends on its own, and says which
   * (the phrase follows the script's path). Returns the function that stops watching.
   */
  private watch(worker: Worker, doing: 'loading' | 'scoring', onStop: (why: string) => void): () => void {
    const { memoryMb } = this.limits;
    const timeoutMs = doing === 'loading' ? Math.max(this.limits.timeoutMs, MIN_LOAD_TIMEOUT_MS) : this.limits.timeoutMs;
    let settled = false;
    const stop = (why: string) => {
      if (settled) return;
      cleanup();
      void worker.terminate();
      onStop(why);
    };
    const timer = setTimeout(
      () =>
        stop(
          `did not finish ${doing} within ${timeoutMs} ms (an endless loop, or a promise that never settles?) and was stopped; ` +
            'make it faster, or raise timeout_ms on the metric',
        ),
      timeoutMs,
    );
    const onError = (err: Error & { code?: string }) =>
      stop(
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `ran out of memory while ${doing} (over its ${memoryMb} MB heap) and was stopped; use less memory, or raise memory_mb on the metric`
          : `crashed while ${doing}: ${err.message}`,
      );
    const onExit = (code: number) => stop(`ended its worker thread (exit code ${code}) while ${doing}; a scorer must return a score`);
    worker.on('error', onError);
    worker.on('exit', onExit);
    const cleanup = () => {
      settled = true;
      clearTimeout(timer);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    return cleanup;
  }

  private scriptError(failure: WorkerFailure): ScriptError {
    const at = this.locate(failure);
    const what = failure.returned ? failure.message : `threw ${failure.message}`;
    return new ScriptError(`scorer script ${this.path} ${what}${where(at)}`, at);
  }

  /**
   * Where loading failed. A syntax error's stack holds no position (Node prints it only for
   * an uncaught error), so `node --check` is asked for the line; it runs only on this path.
   */
  private async locateLoadFailure(failure: WorkerFailure): Promise<ScriptLocation | undefined> {
    const at = this.locate(failure);
    if (at || !failure.message.startsWith('SyntaxError')) return at;
    const stderr = await new Promise<string>((resolve) =>
      execFile(process.execPath, ['--check', join(this.root, this.path)], { timeout: MIN_LOAD_TIMEOUT_MS }, (_err, _out, err) =>
        resolve(err),
      ),
    );
    return this.locate({ message: failure.message, stack: stderr.split('\n')[0] });
  }

  /** The first stack frame (or syntax error position) inside the repository, written as a file URL or a path. */
  private locate(failure: WorkerFailure): ScriptLocation | undefined {
    const stack = failure.stack ?? '';
    for (const [prefix, decode] of [
      [`${pathToFileURL(this.root).href}/`, decodeURIComponent],
      [`${this.root}${sep}`, (file: string) => file],
    ] as const) {
      const start = stack.indexOf(prefix);
      const frame = start === -1 ? null : /^([^\s:()]+):(\d+)(?::(\d+))?/.exec(stack.slice(start + prefix.length));
      if (frame) return { file: decode(frame[1]!), line: Number(frame[2]), ...(frame[3] ? { column: Number(frame[3]) } : {}) };
    }
    return undefined;
  }
}

function where(at: ScriptLocation | undefined): string {
  return at ? ` (at ${at.file}:${at.line}${at.column !== undefined ? `:${at.column}` : ''})` : '';
}
