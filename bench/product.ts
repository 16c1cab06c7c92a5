// The product as users run it: `promptgate eval` (node dist/cli.js) from spawn to exit,
// against the loopback model server in a worker thread of this process (so the server's CPU
// is not the CLI's). Wall time includes start-up, git, loading, evaluation, report and exit;
// CPU is the CLI's and its git children's (cutime + cstime of this process around the
// spawn); peak RSS is the CLI process's maxRSS, from bench/child.ts's probe. CPU needs Linux's /proc.
import { spawn, execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { mulberry32, pairedTest } from '../src/engine/gate/stats.js';
import { lastUserMessage } from '../test/servers/model-server.js';
import { runNode as runMeasured } from './child.js';
import type { BenchCheck } from './main.js';
import { datasetLines } from './memory.js';
import { serveModels, startModelServerThread, type ModelServerThread } from './model-server-thread.js';

const CLI = join(import.meta.dirname, '..', 'dist', 'cli.js');

export const name = 'product: promptgate eval, spawn to exit (node dist/cli.js against the loopback model server)';

// ---------- the model server, in a worker ----------

let latencyMs = 0;
let firstCallAt: number | undefined;
let lastCallAt: number | undefined;

/** Worker side: answers with the question after `latencyMs`; remembers when the first and the last request came. */
export async function modelServerWorker(): Promise<void> {
  parentPort!.on('message', (msg: { latencyMs?: number; times?: true }) => {
    if (msg.latencyMs !== undefined) {
      latencyMs = msg.latencyMs;
      firstCallAt = lastCallAt = undefined;
      parentPort!.postMessage({ ok: true });
    } else if (msg.times) parentPort!.postMessage({ times: { first: firstCallAt ?? null, last: lastCallAt ?? null } });
  });
  await serveModels((call) => {
    lastCallAt = performance.timeOrigin + performance.now();
    firstCallAt ??= lastCallAt;
    return { text: lastUserMessage(call), latencyMs };
  });
}

async function ask<T>(server: ModelServerThread, msg: object, key: string): Promise<T> {
  const worker = server.worker;
  worker.postMessage(msg);
  for (;;) {
    const [reply] = (await once(worker, 'message')) as [Record<string, unknown>];
    if (key in reply) return reply[key] as T;
  }
}

// ---------- one run of the CLI ----------

interface CliRun {
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
  firstRequestMs: number | null;
  /** From the last model request to exit: the report built and written. */
  afterLastRequestMs: number | null;
  calls: number;
  code: number;
}

/** Children's CPU time of this process, in ms (cutime + cstime: children that were waited for). */
async function childrenCpuMs(): Promise<number> {
  const fields = (await readFile('/proc/self/stat', 'utf8')).replace(/^.*\) /s, '').split(' ');
  // After "pid (comm) ", field 3 is state; cutime and cstime are fields 16 and 17 of the whole line.
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
}

function runCli(server: ModelServerThread, cwd: string, args: string[], latency: number): Promise<CliRun> {
  return runNode(server, cwd, [CLI, ...args], latency);
}

/**
 * The floor under the CLI's figures: a bare node:http keep-alive client (no SDK, no
 * promptgate) sending the same chat request `total` times, `concurrency` at a time.
 */
const BARE_CLIENT = `
import http from 'node:http';
const [concurrency, total] = process.argv.slice(1).map(Number);
const url = process.env.OPENAI_BASE_URL + '/chat/completions';
const agent = new http.Agent({ keepAlive: true });
const body = JSON.stringify({ model: 'gpt-4o-mini-2024-07-18', temperature: 0, max_tokens: 200,
  messages: [{ role: 'system', content: 'You answer customer questions.' }, { role: 'user', content: 'Where is my order?' }] });
const headers = { 'content-type': 'application/json', authorization: 'Bearer ' + process.env.OPENAI_API_KEY };
const one = () => new Promise((resolve, reject) => {
  const req = http.request(url, { method: 'POST', agent, headers }, (res) => {
    const chunks = [];
    res.on('data', (c) => chunks.push(c)).on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString())));
  });
  req.on('error', reject).end(body);
});
let sent = 0;
await Promise.all(Array.from({ length: concurrency }, async () => { while (sent++ < total) await one(); }));
process.exit(0);
`;

async function runNode(server: ModelServerThread, cwd: string, argv: string[], latency: number): Promise<CliRun> {
  await ask(server, { latencyMs: latency }, 'ok');
  const callsBefore = await server.calls();
  const cpuBefore = await childrenCpuMs();
  const spawnedAt = performance.timeOrigin + performance.now();
  const run = await runMeasured(argv, { cwd, env: server.env, okCodes: [0, 1] });
  const times = await ask<{ first: number | null; last: number | null }>(server, { times: true }, 'times');
  return {
    wallMs: run.wallMs,
    cpuMs: (await childrenCpuMs()) - cpuBefore,
    peakRssMb: run.maxRssMb,
    firstRequestMs: times.first === null ? null : times.first - spawnedAt,
    afterLastRequestMs: times.last === null ? null : spawnedAt + run.wallMs - times.last,
    calls: (await server.calls()) - callsBefore,
    code: run.code,
  };
}

/** Median wall time of `node -e 0` with the CLI's environment. */
async function nodeStartMs(server: ModelServerThread): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    const child = spawn(process.execPath, ['-e', '0'], { env: { ...process.env, ...server.env }, stdio: 'ignore' });
    await once(child, 'exit');
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[2]!;
}

// ---------- the repositories ----------

const PROMPT = (instruction: string) => `name: support-answer
version: 1.0.0
model: { provider: openai, name: gpt-4o-mini-2024-07-18, temperature: 0, max_tokens: 200 }
messages:
  - role: system
    content: You answer customer questions for {{ company }}. ${instruction}
  - role: user
    content: "{{ question }}"
eval: ../evals/support-answer.eval.yaml
`;

const SUITE = `dataset: ../data/questions.jsonl
metrics:
  - { name: mentions, type: contains, value: "{{ expected }}" }
`;

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', ...args], { cwd, stdio: 'ignore' });
}

/**
 * A repository whose last commit adds a prompt with `cases` cases (eval --base HEAD~1: one
 * new prompt, `cases` samples) and, when `changed`, an edit of it in the working tree
 * (eval --base HEAD: the base version rerun and the edit, 2 x `cases` samples).
 */
async function repository(cases: number, changed: boolean): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pg-bench-product-'));
  git(dir, 'init', '-q', '-b', 'main');
  await writeFile(join(dir, 'promptgate.yaml'), 'prompts: ["prompts/**/*.prompt.yaml"]\n');
  await writeFile(join(dir, '.gitignore'), '.promptgate/\n*.json\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'config');
  for (const sub of ['prompts', 'evals', 'data']) await mkdir(join(dir, sub));
  await writeFile(join(dir, 'prompts/support-answer.prompt.yaml'), PROMPT('Be brief.'));
  await writeFile(join(dir, 'evals/support-answer.eval.yaml'), SUITE);
  await writeFile(join(dir, 'data/questions.jsonl'), `${datasetLines(cases).join('\n')}\n`);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'prompt');
  if (changed) await writeFile(join(dir, 'prompts/support-answer.prompt.yaml'), PROMPT('Be brief and accurate.'));
  return dir;
}

// ---------- the bench ----------

const TARGETS = {
  efficiency16: 0.95,
  efficiency64: 0.97,
  cpuPerRequestMs: 0.6,
  firstRequestMs: 200,
  rss50kMb: 200,
  /** 10x the cases may cost at most this much more peak memory (linear growth would be 10x). */
  rssGrowth500k: 1.5,
  /** From the last model request to exit on a 20,000-case pull request: comparison, report, exit. */
  reportTail20kMs: 1000,
};

export async function run(): Promise<BenchCheck[]> {
  const server = await startModelServerThread('product-model-server');
  const dirs: string[] = [];
  const checks: BenchCheck[] = [];
  const load = () => `load ${loadavg()[0]!.toFixed(1)}`;
  const caBundle = process.env['NODE_EXTRA_CA_CERTS'];
  try {
    // The floor under "first request": Node itself, spawned the same way, doing nothing.
    const withBundle = caBundle ? await nodeStartMs(server) : undefined;
    // Node 20 reads a NODE_EXTRA_CA_CERTS bundle at every start (~45 ms for the 220 KB one on the
    // machine the README's figures come from). The model server is plain HTTP on loopback and a
    // GitHub runner sets none, so every run below goes without it.
    delete process.env['NODE_EXTRA_CA_CERTS'];
    const bare = await nodeStartMs(server);
    line(
      'node -e 0',
      `spawn to exit ${Math.round(bare)} ms (median of 5): the part of "first request" that is Node's own` +
        `${withBundle === undefined ? '' : ` (${Math.round(withBundle)} ms with this machine's NODE_EXTRA_CA_CERTS, left out of every run)`}; ${load()}`,
    );

    // 1,000 cases with an edited prompt: 2,000 samples (base rerun + edit).
    const pr = await repository(1000, true);
    dirs.push(pr);
    const evalArgs = (concurrency: number) => [
      'eval',
      '--base',
      'HEAD',
      '--no-cache',
      '--concurrency',
      String(concurrency),
      '--json',
      'r.json',
    ];

    for (const [concurrency, latency, target] of [
      [16, 50, TARGETS.efficiency16],
      [64, 400, TARGETS.efficiency64],
    ] as const) {
      const floor = await runNode(server, pr, ['--input-type=module', '-e', BARE_CLIENT, String(concurrency), '2000'], latency);
      const floorEfficiency = (Math.ceil(floor.calls / concurrency) * latency) / floor.wallMs;
      line(
        `  floor: bare node:http client`,
        `wall ${secs(floor.wallMs)}: efficiency ${floorEfficiency.toFixed(3)}; CPU ${(floor.cpuMs / floor.calls).toFixed(2)} ms/request; ` +
          `first request after ${ms(floor.firstRequestMs)}; ${load()}`,
      );
      const r = await runCli(server, pr, evalArgs(concurrency), latency);
      const idealMs = Math.ceil(r.calls / concurrency) * latency;
      const efficiency = idealMs / r.wallMs;
      const cpu = r.cpuMs / r.calls;
      line(
        `2,000 samples, c${concurrency}, ${latency} ms`,
        `wall ${secs(r.wallMs)} (ideal ${secs(idealMs)}): efficiency ${efficiency.toFixed(3)} (target >= ${target}; ` +
          `${(efficiency / floorEfficiency).toFixed(3)} of the floor's); ` +
          `CPU ${cpu.toFixed(2)} ms/request (target <= ${TARGETS.cpuPerRequestMs}); first request after ${ms(r.firstRequestMs)} ` +
          `(target <= ${TARGETS.firstRequestMs} ms); peak RSS ${r.peakRssMb} MB; ${r.calls} calls; ${load()}`,
      );
      checks.push(
        {
          label: `efficiency ${efficiency.toFixed(3)} >= ${target} at (2,000, ${concurrency}, ${latency} ms)`,
          ok: efficiency >= target && r.calls === 2000,
        },
        { label: `CPU ${cpu.toFixed(2)} ms/request <= ${TARGETS.cpuPerRequestMs} at c${concurrency}`, ok: cpu <= TARGETS.cpuPerRequestMs },
        {
          label: `first model request ${ms(r.firstRequestMs)} after spawn <= ${TARGETS.firstRequestMs} ms at c${concurrency}`,
          ok: r.firstRequestMs !== null && r.firstRequestMs <= TARGETS.firstRequestMs,
        },
      );
    }

    // Sharded: three shards of the same run, then the merge (no model call).
    const shards: CliRun[] = [];
    for (const i of [1, 2, 3]) {
      shards.push(
        await runCli(
          server,
          pr,
          ['eval', '--base', 'HEAD', '--no-cache', '--concurrency', '16', '--shard', `${i}/3`, '--json', `shard-${i}.json`],
          50,
        ),
      );
    }
    const merge = await runCli(server, pr, ['merge', 'shard-1.json', 'shard-2.json', 'shard-3.json', '--json', 'merged.json'], 50);
    line(
      'merge of 3 shards',
      `wall ${secs(merge.wallMs)}, CPU ${secs(merge.cpuMs)}, peak RSS ${merge.peakRssMb} MB, ${merge.calls} calls; ` +
        `shards' calls ${shards.map((s) => s.calls).join(' + ')} = ${shards.reduce((n, s) => n + s.calls, 0)}; slowest shard ${secs(Math.max(...shards.map((s) => s.wallMs)))}; ${load()}`,
    );
    checks.push({
      label: `merge makes no model call and the shards make the 2,000`,
      ok: merge.calls === 0 && shards.reduce((n, s) => n + s.calls, 0) === 2000,
    });

    // The report of a large pull request: 20,000 cases with the base rerun (40,000 samples).
    const largePr = await repository(20_000, true);
    dirs.push(largePr);
    const tail = await runCli(server, largePr, ['eval', '--base', 'HEAD', '--no-cache', '--concurrency', '64', '--json', 'r.json'], 0);
    line(
      '20,000-case PR, rerun, c64',
      `after the last request ${ms(tail.afterLastRequestMs)} (target <= ${TARGETS.reportTail20kMs} ms); wall ${secs(tail.wallMs)}; ` +
        `peak RSS ${tail.peakRssMb} MB; ${tail.calls} calls; ${load()}`,
    );
    checks.push({
      label: `report of a 20,000-case PR ${ms(tail.afterLastRequestMs)} after its last request <= ${TARGETS.reportTail20kMs} ms`,
      ok: tail.afterLastRequestMs !== null && tail.afterLastRequestMs <= TARGETS.reportTail20kMs && tail.calls === 40_000,
    });

    // That PR's scores are alike on both sides; a changed prompt's continuous scores make the
    // statistics work: the paired test and interval of one metric over 20,000 cases.
    const statsMs = pairedTestMs(20_000);
    line(
      'statistics, 20,000 cases',
      `${ms(statsMs)} a metric, continuous scores (part of the report's ${TARGETS.reportTail20kMs} ms); ${load()}`,
    );
    checks.push({
      label: `paired test of 20,000 continuous scores ${ms(statsMs)} <= ${TARGETS.reportTail20kMs / 4} ms`,
      ok: statsMs <= TARGETS.reportTail20kMs / 4,
    });

    // Memory: one new prompt of 50,000 and of 500,000 cases, concurrency 64, instant answers.
    // BENCH_PRODUCT_CASES=50000 skips the long 500,000-case run (about 10x the 50,000 one).
    const sizes = (process.env['BENCH_PRODUCT_CASES'] ?? '50000,500000').split(',').map(Number);
    const peaks: number[] = [];
    for (const cases of sizes) {
      const big = await repository(cases, false);
      dirs.push(big);
      const r = await runCli(server, big, ['eval', '--base', 'HEAD~1', '--no-cache', '--concurrency', '64', '--json', 'r.json'], 0);
      peaks.push(r.peakRssMb);
      line(
        `${cases.toLocaleString('en-US')} cases, c64, 0 ms`,
        `peak RSS ${r.peakRssMb} MB; wall ${secs(r.wallMs)}; CPU ${(r.cpuMs / r.calls).toFixed(2)} ms/request; ${r.calls} calls; ${load()}`,
      );
      await rm(big, { recursive: true, force: true });
    }
    const growth = peaks[1]! / peaks[0]!;
    checks.push({ label: `peak RSS at 50,000 cases ${peaks[0]} MB <= ${TARGETS.rss50kMb} MB`, ok: peaks[0]! <= TARGETS.rss50kMb });
    if (peaks.length < 2) {
      line('500,000 cases', 'not run (BENCH_PRODUCT_CASES)');
      return checks;
    }
    checks.push({
      label: `peak RSS at 500,000 cases ${peaks[1]} MB, ${growth.toFixed(2)}x the 50,000 figure (<= ${TARGETS.rssGrowth500k}x)`,
      ok: growth <= TARGETS.rssGrowth500k,
    });
    return checks;
  } finally {
    if (caBundle !== undefined) process.env['NODE_EXTRA_CA_CERTS'] = caBundle;
    await server.close();
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  }
}

/** Milliseconds of pairedTest on `n` seeded continuous scores a side, the candidate slightly worse. */
function pairedTestMs(n: number): number {
  const rand = mulberry32(1);
  const base = Array.from({ length: n }, () => rand());
  const cand = base.map((b) => Math.min(1, Math.max(0, b + (rand() - 0.55) / 5)));
  const start = performance.now();
  pairedTest(base, cand, 1);
  return performance.now() - start;
}

function secs(msValue: number): string {
  return `${(msValue / 1000).toFixed(2)} s`;
}

function ms(value: number | null): string {
  return value === null ? 'never' : `${Math.round(value)} ms`;
}

function line(label: string, value: string): void {
  console.log(`  ${label.padEnd(28)} ${value}`);
}
