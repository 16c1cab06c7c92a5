// Model-call throughput: does the runner keep `concurrency` requests in flight, and is a
// cached rerun free of network calls and fast? The model server runs in a worker thread,
// as a real API runs elsewhere: its CPU time is not the runner's.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import pLimit from 'p-limit';
import { defaultConfig } from '../src/engine/files/project.js';
import { ModelRunner } from '../src/engine/models/runner.js';
import type { ChatRequest, Config } from '../src/engine/types.js';
import { lastUserMessage } from '../test/servers/model-server.js';
import type { BenchCheck } from './main.js';
import { serveModels, startModelServerThread } from './model-server-thread.js';

const SAMPLES = 2000;
const WARMUP = 200;
const LATENCY_MS = 50;
const CONCURRENCY = 16;
const MIN_RATIO = 0.95;
const MAX_CACHED_MS = 1500;

export const name = `throughput (${SAMPLES} requests, ${LATENCY_MS} ms latency, concurrency ${CONCURRENCY})`;

/** Worker side: a model server that answers after LATENCY_MS. */
export const modelServerWorker = (): Promise<void> => serveModels((call) => ({ text: lastUserMessage(call), latencyMs: LATENCY_MS }));

export async function run(): Promise<BenchCheck[]> {
  const server = await startModelServerThread('model-server');
  const { env } = server;
  const cacheDir = await mkdtemp(join(tmpdir(), 'pg-bench-cache-'));
  try {
    const config: Config = { ...defaultConfig(), cache: cacheDir, concurrency: CONCURRENCY };
    const requests = (prefix: string, n: number): ChatRequest[] =>
      Array.from({ length: n }, (_, i) => ({
        provider: 'openai',
        model: 'gpt-4o-mini-2024-07-18',
        params: { temperature: 0 },
        messages: [{ role: 'user', content: `${prefix} ${i}` }],
        sample: 0,
      }));
    const idealMs = Math.ceil(SAMPLES / CONCURRENCY) * LATENCY_MS;

    // Warm the JIT and the connection pool first, as a long run is warm after its first seconds.
    await timed(requests('warm-up', WARMUP), new ModelRunner({ config, env }));

    // The same load through the bare SDK: the floor this machine allows, to tell the runner's
    // own overhead from the SDK's and the machine's.
    const sdk = new OpenAI({ apiKey: env['OPENAI_API_KEY'], baseURL: env['OPENAI_BASE_URL'], maxRetries: 0 });
    const limit = pLimit(CONCURRENCY);
    const bareStarted = performance.now();
    await Promise.all(
      requests('bare', SAMPLES).map((r) =>
        limit(() => sdk.chat.completions.create({ model: r.model, messages: r.messages, temperature: 0 })),
      ),
    );
    const bareMs = performance.now() - bareStarted;
    line('bare SDK wall time', `${fmt(bareMs)}   (ideal ${fmt(idealMs)}; efficiency ${(idealMs / bareMs).toFixed(3)})`);

    const measured = requests('sample', SAMPLES);
    const cold = await timed(measured, new ModelRunner({ config, env, cacheDir }));
    const ratio = idealMs / cold.ms;
    line('cold run wall time', `${fmt(cold.ms)}   (ideal ${fmt(idealMs)} = ceil(${SAMPLES}/${CONCURRENCY}) x ${LATENCY_MS} ms)`);
    line(
      'cold run efficiency',
      `${ratio.toFixed(3)}    (ideal / wall; target >= ${MIN_RATIO}); runner vs bare SDK ${(bareMs / cold.ms).toFixed(3)}`,
    );
    line(
      'cold run calls',
      `${cold.runner.usage.calls}     (expected ${SAMPLES}); peak in flight ${cold.runner.peakInFlight} (limit ${CONCURRENCY})`,
    );

    const callsBefore = await server.calls();
    const warm = await timed(measured, new ModelRunner({ config, env, cacheDir }));
    const warmCalls = (await server.calls()) - callsBefore;
    line('cached rerun wall time', `${fmt(warm.ms)}   (target <= ${fmt(MAX_CACHED_MS)})`);
    line('cached rerun calls', `${warmCalls}        (expected 0); cache hits ${warm.runner.usage.cached} (expected ${SAMPLES})`);

    return [
      { label: `cold efficiency >= ${MIN_RATIO} with ${SAMPLES} calls`, ok: ratio >= MIN_RATIO && cold.runner.usage.calls === SAMPLES },
      {
        label: `cached rerun <= ${fmt(MAX_CACHED_MS)} with 0 calls`,
        ok: warm.ms <= MAX_CACHED_MS && warmCalls === 0 && warm.runner.usage.cached === SAMPLES,
      },
    ];
  } finally {
    await server.close();
    await rm(cacheDir, { recursive: true, force: true });
  }
}

async function timed(requests: ChatRequest[], runner: ModelRunner): Promise<{ ms: number; runner: ModelRunner }> {
  const started = performance.now();
  await Promise.all(requests.map((r) => runner.complete(r)));
  return { ms: performance.now() - started, runner };
}

function fmt(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function line(label: string, value: string): void {
  console.log(`  ${label.padEnd(24)} ${value}`);
}
