// Memory on a big suite: one prompt, 50,000 cases, one `contains` metric, evaluated with
// concurrency 64 and no cache. Peak RSS is a whole-process, whole-life figure, so the
// engine runs in a fresh child process (this same bundle, role memory-engine) and the
// model server stays here: neither the other benches nor the server count against it.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate } from '../src/engine/evaluate/evaluate.js';
import { loadProject } from '../src/engine/files/project.js';
import { ModelRunner } from '../src/engine/models/runner.js';
import { WorkTree } from '../src/engine/git/source.js';
import { echoHandler, startModelServer } from '../test/servers/model-server.js';
import type { BenchCheck } from './main.js';

const CASES = 50_000;
const CONCURRENCY = 64;
const MAX_RSS_MB = 200;
/** Set in the child's environment: the repository to evaluate. */
const REPO_ENV = 'PROMPTGATE_BENCH_MEMORY_REPO';

export const name = `memory (${CASES.toLocaleString('en-US')} cases, 1 contains metric, concurrency ${CONCURRENCY}, no cache)`;

/** What the child reports on its last stdout line. */
interface EngineFigures {
  loadMs: number;
  evalMs: number;
  samples: number;
  errors: number;
  passed: number;
  datasetBytes: number;
  maxRssMb: number;
  /** Heap and RSS right after loading, and after evaluating (before the result is dropped). */
  afterLoad: { heapMb: number; rssMb: number };
  afterEval: { heapMb: number; rssMb: number };
}

export async function run(): Promise<BenchCheck[]> {
  const tmp = await mkdtemp(join(tmpdir(), 'pg-bench-memory-'));
  // Answers instantly with the question, so `contains` finds the expected keyword.
  const server = await startModelServer(echoHandler);
  try {
    await writeRepo(tmp);
    const child = spawn(process.execPath, [process.argv[1]!], {
      env: { ...process.env, ...server.env(), BENCH_ROLE: 'memory-engine', [REPO_ENV]: tmp },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const [code] = (await once(child, 'exit')) as [number | null];
    const last = out.trim().split('\n').pop() ?? '';
    if (code !== 0 || !last.startsWith('{')) throw new Error(`the memory-engine child failed (exit ${code}): ${out}`);
    const f = JSON.parse(last) as EngineFigures;

    line(
      'dataset',
      `${CASES.toLocaleString('en-US')} cases, ${mb(f.datasetBytes)} MB of JSONL (${Math.round(f.datasetBytes / CASES)} bytes a case)`,
    );
    line('load time', `${secs(f.loadMs)}   (config, prompt, suite and dataset parsed)`);
    line(
      'wall time',
      `${secs(f.evalMs)}   (${f.samples} samples, ${f.errors} errors, ${f.passed} passed contains; server saw ${server.calls.length} calls)`,
    );
    line('after load', `heap in use ${f.afterLoad.heapMb} MB, rss ${f.afterLoad.rssMb} MB`);
    line('after evaluate', `heap in use (garbage included) ${f.afterEval.heapMb} MB, rss ${f.afterEval.rssMb} MB`);
    line('peak RSS', `${f.maxRssMb} MB   (target <= ${MAX_RSS_MB} MB)`);
    return [
      { label: `peak RSS ${f.maxRssMb} MB <= ${MAX_RSS_MB} MB`, ok: f.maxRssMb <= MAX_RSS_MB },
      { label: `all ${CASES} samples evaluated without error`, ok: f.samples === CASES && f.errors === 0 && f.passed === CASES },
    ];
  } finally {
    await server.close();
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Child side (BENCH_ROLE=memory-engine): load, evaluate, print the figures as one JSON line. */
export async function memoryEngine(): Promise<void> {
  const root = process.env[REPO_ENV]!;
  const src = new WorkTree(root);
  const loadStarted = performance.now();
  const project = loadProject(src);
  const loadMs = performance.now() - loadStarted;
  const prompt = project.prompts[0];
  if (!prompt || project.findings.some((f) => f.severity === 'error')) {
    throw new Error(`the bench repository does not load: ${JSON.stringify(project.findings.slice(0, 3))}`);
  }
  const afterLoad = snapshot();

  const runner = new ModelRunner({ config: project.config, env: process.env, concurrency: CONCURRENCY });
  const evalStarted = performance.now();
  const result = await evaluate(prompt, src, prompt, { runner, root, suiteSrc: src });
  const evalMs = performance.now() - evalStarted;
  const afterEval = snapshot();

  const figures: EngineFigures = {
    loadMs,
    evalMs,
    samples: result.samples.length,
    errors: [...result.samples].filter((s) => s.error).length,
    passed: [...result.samples].filter((s) => s.scores['mentions'] === 1).length,
    datasetBytes: Buffer.byteLength(src.read('data/questions.jsonl') ?? ''),
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    afterLoad,
    afterEval,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

function snapshot(): { heapMb: number; rssMb: number } {
  const m = process.memoryUsage();
  return { heapMb: Math.round(m.heapUsed / 2 ** 20), rssMb: Math.round(m.rss / 2 ** 20) };
}

// ---------- the repository ----------

const PROMPT = `name: support-answer
version: 1.0.0
model: { provider: openai, name: gpt-4o-mini-2024-07-18, temperature: 0, max_tokens: 200 }
messages:
  - role: system
    content: You answer customer questions for {{ company }}. Be brief and accurate.
  - role: user
    content: "{{ question }}"
eval: ../evals/support-answer.eval.yaml
`;

const SUITE = `dataset: ../data/questions.jsonl
metrics:
  - name: mentions
    type: contains
    value: "{{ expected }}"
`;

const COMPANIES = ['Acme Outfitters', 'Northwind Traders', 'Globex Travel', 'Initech Software', 'Umbrella Pharmacy'];
const PRODUCTS = ['hiking boots', 'rain jacket', 'annual plan', 'sleeping bag', 'gift card', 'backpack', 'tent', 'invoice'];
const ASKS = [
  'How long does a refund for my {p} take, and will it go back to the card I paid with?',
  'I ordered a {p} last week and the tracking page has not changed since Tuesday. What should I do?',
  'Can I exchange the {p} for a different size without paying for shipping again?',
  'My {p} arrived damaged and the box was soaked. Who do I contact to get this sorted?',
  'Is there a discount on the {p} if I order three of them for my team before Friday?',
];

/** A deterministic generator, so every run measures the same dataset. */
function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` cases as JSONL lines: a question naming a product, the product expected; the same every run. */
export function datasetLines(count: number): string[] {
  const random = mulberry32(20240601);
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)]!;
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const product = pick(PRODUCTS);
    const question = pick(ASKS).replace('{p}', product);
    lines.push(
      JSON.stringify({
        id: `q-${String(i).padStart(6, '0')}`,
        vars: { company: pick(COMPANIES), question },
        expected: product,
        tags: [product.split(' ')[0]],
      }),
    );
  }
  return lines;
}

async function writeRepo(dir: string): Promise<void> {
  const lines = datasetLines(CASES);
  await mkdir(join(dir, 'prompts'));
  await mkdir(join(dir, 'evals'));
  await mkdir(join(dir, 'data'));
  await writeFile(join(dir, 'promptgate.yaml'), `prompts: ["prompts/**/*.prompt.yaml"]\nconcurrency: ${CONCURRENCY}\n`);
  await writeFile(join(dir, 'prompts/support-answer.prompt.yaml'), PROMPT);
  await writeFile(join(dir, 'evals/support-answer.eval.yaml'), SUITE);
  await writeFile(join(dir, 'data/questions.jsonl'), `${lines.join('\n')}\n`);
}

function mb(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function line(label: string, value: string): void {
  console.log(`  ${label.padEnd(24)} ${value}`);
}
