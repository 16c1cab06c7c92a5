// Gate accuracy (issue 5): how often does the gate fail a PR that changed nothing (false
// alarm), and how often does it catch a real 10 pp drop (detection)? Simulated PRs run
// through the real engine: evaluate() -> ModelRunner -> openai SDK -> loopback model server,
// `equals` scoring, scoreTable, and compareTables with the gate under test. The simulated
// model answers "yes" (correct) with a per-case probability; the server runs in a worker
// thread, as a real API runs elsewhere, so its CPU time is not the engine's.
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { markdownTable } from 'markdown-table';
import pLimit from 'p-limit';
import { AUTO_ALPHA as ALPHA, isNondeterministic } from '../src/engine/gate/alpha.js';
import { compareTables, scoreTable } from '../src/engine/gate/compare.js';
import { evaluate } from '../src/engine/evaluate/evaluate.js';
import { defaultConfig } from '../src/engine/files/project.js';
import { ModelRunner, type RunnerOptions } from '../src/engine/models/runner.js';
import { WorkTree, type FileSource } from '../src/engine/git/source.js';
import { withArtifact } from '../src/engine/artifact/artifact.js';
import { mulberry32, seedFrom } from '../src/engine/gate/stats.js';
import type { ChatRequest, ChatResponse, Config, EvalResult, GateRule, Prompt, ScoreTable } from '../src/engine/types.js';
import { lastUserMessage, type ModelCall, type Reply } from '../test/servers/model-server.js';
import type { BenchCheck } from './main.js';
import { serveModels, startModelServerThread } from './model-server-thread.js';

const PRS = 200;
const CASES = 100;
const REPEAT = 3;
const DROP = 0.1;

const MAX_FALSE_ALARMS = 0.05;
const MIN_DETECTION = 0.8;
/**
 * Per-case probability of a correct answer ~ Beta(0.8, 0.2): mean 0.8, U-shaped like a real
 * suite's difficulty: about half the cases are right > 95% of the time, a few are almost
 * always wrong, about one in six is a coin flip (0.3..0.7).
 */
const BETA_A = 0.8;
const BETA_B = 0.2;
/** Every random choice derives from this, so each run prints the same numbers. */
const SEED = 'promptgate gate simulation 1';
/** Requests in flight per runner; with no latency the run is CPU-bound and more slots only add garbage. */
const CONCURRENCY = 16;
/** PRs simulated at once per thread: enough queued requests to keep every slot busy, few enough to bound memory. */
const PR_CONCURRENCY = 4;
/** Threads running the engine, besides the model server's (this machine has 2 cores). */
const ENGINE_THREADS = 2;
const METRIC = 'correct';
const MODEL = 'gpt-4o-mini-2024-07-18';

export const name = `gate accuracy (${PRS} A/A PRs and ${PRS} PRs with a true ${DROP * 100} pp drop; ${CASES} cases, mean accuracy 0.8)`;

// ---------- the simulated model (runs in the worker) ----------

type Variant = 'baseline' | 'lowered';

/** What a prompt renders: the server reads which PR, case and prompt variant it is asked about. */
const QUESTION = /^pr=(\S+) case=(\d+) variant=(baseline|lowered)$/;

/** A uniform number in [0, 1) that is a fixed function of `key`. */
function unit(key: string): number {
  return seedFrom(`${SEED}/${key}`) / 2 ** 32;
}

/** Standard normal (Box-Muller). */
function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** Gamma(shape, 1) by Marsaglia-Tsang; shapes below 1 via Gamma(shape + 1) * U^(1/shape). */
function gamma(shape: number, rand: () => number): number {
  if (shape < 1) return gamma(shape + 1, rand) * (1 - rand()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal(rand);
    const v = (1 + c * x) ** 3;
    if (v > 0 && Math.log(1 - rand()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

export function betaSample(a: number, b: number, rand: () => number): number {
  const x = gamma(a, rand);
  return x / (x + gamma(b, rand));
}

const logit = (p: number): number => Math.log(p / (1 - p));
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const meanOf = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

/**
 * A worse prompt: every case's log-odds of a correct answer lowered by the same s, with s
 * found by bisection so the mean probability drops by exactly `drop`. A shift on the logit
 * scale (as in item-response models) moves coin-flip cases most and leaves near-certain
 * cases near-certain, as a real regression does; subtracting `drop` from every p instead
 * would make an always-right case wrong 10% of the time and clamp hard cases to exactly 0.
 */
export function lowerLogOdds(ps: number[], drop: number): number[] {
  const target = meanOf(ps) - drop;
  const shifted = (s: number) => ps.map((p) => sigmoid(logit(p) - s));
  let lo = 0;
  let hi = 50;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (meanOf(shifted(mid)) > target) lo = mid;
    else hi = mid;
  }
  return shifted((lo + hi) / 2);
}

const probabilityCache = new Map<string, number[]>();

/** The PR's per-case probabilities of a correct answer, for one prompt variant. */
export function caseProbabilities(pr: string, variant: Variant): number[] {
  const key = `${pr}/${variant}`;
  let ps = probabilityCache.get(key);
  if (!ps) {
    const rand = mulberry32(seedFrom(`${SEED}/${pr}`));
    const base = Array.from({ length: CASES }, () => betaSample(BETA_A, BETA_B, rand));
    ps = variant === 'baseline' ? base : lowerLogOdds(base, DROP);
    probabilityCache.set(key, ps);
  }
  return ps;
}

/**
 * Answers "yes" with the case's probability. At temperature 0 the answer is a fixed function
 * of the question; otherwise each (question, `seed`) is its own draw (see SeededSamplingRunner).
 */
export function simulatedModel(call: ModelCall): Reply {
  const match = QUESTION.exec(lastUserMessage(call));
  if (!match) return { status: 400 };
  const [, pr, caseNo, variant] = match as unknown as [string, string, string, Variant];
  const p = caseProbabilities(pr, variant)[Number(caseNo)]!;
  const draw =
    call.params['temperature'] === 0 ? unit(`${pr}/${caseNo}`) : unit(`${pr}/${variant}/${caseNo}/${String(call.params['seed'])}`);
  return { text: draw < p ? 'yes' : 'no' };
}

/** Worker side: the simulated model's server. */
export const modelServerWorker = (): Promise<void> => serveModels(simulatedModel);

// ---------- the PRs (engine threads) ----------

/**
 * Real promptgate sends a case's repeats as identical requests, and a real model's sampling
 * makes them independent draws. The simulated model needs a name for each draw to be
 * reproducible, so this runner passes (side, sample) as OpenAI's `seed` parameter: both sides
 * of an A/A PR draw independently, and sample 0 of a repeat-3 run is exactly the draw a
 * repeat-1 run would get. Everything else is the real runner.
 */
class SeededSamplingRunner extends ModelRunner {
  constructor(
    opts: RunnerOptions,
    private readonly side: 'baseline' | 'candidate',
  ) {
    super(opts);
  }

  override complete(req: ChatRequest): Promise<ChatResponse> {
    return super.complete({ ...req, params: { ...req.params, seed: seedFrom(`${this.side}/${req.sample}`) } });
  }
}

function simPrompt(pr: string, variant: Variant, params: Record<string, unknown>, repeat: number): Prompt {
  const file = 'prompts/sim.prompt.yaml';
  return withArtifact(
    {
      file,
      name: `sim-${pr}`,
      version: variant === 'baseline' ? '1.0.0' : '1.1.0',
      model: { provider: 'openai', name: MODEL, params },
      messages: [{ role: 'user', content: `pr={{ pr }} case={{ n }} variant=${variant}` }],
      lines: {},
      suite: {
        file,
        repeat,
        cases: Array.from({ length: CASES }, (_, n) => ({ id: `case-${n}`, vars: { pr, n }, file })),
        metrics: [{ name: METRIC, type: 'equals', value: 'yes' }],
        gate: {},
      },
    },
    NO_FILES,
  );
}

/** The simulated prompt includes no file: its artifact reads none. */
const NO_FILES: FileSource = { label: 'none', read: () => undefined, readBytes: () => undefined, glob: () => [] };

/** The default gate (SPEC 4): `alpha: auto`, decided from the prompt's parameters and repeat. */
const DEFAULT_GATE: GateRule = { max_drop: 0 };
/** The old default, for comparison: any drop fails. */
const ANY_DROP_GATE: GateRule = { max_drop: 0, alpha: null };

/** The engine's verdict on one metric, with nondeterminism detected as buildPromptReport detects it. */
function regressed(base: ScoreTable, cand: ScoreTable, gate: GateRule, prompt: Prompt): boolean {
  const nondeterministic = isNondeterministic(prompt.model.params, prompt.suite.repeat);
  return compareTables(base, cand, [METRIC], () => gate, prompt.name, { nondeterministic }).metrics[0]!.regressed;
}

interface Verdicts {
  /** Accuracy of each side over the first sample of every case. */
  baseMean: number;
  candMean: number;
  anyDrop: boolean;
  autoRepeat1: boolean;
  autoRepeat3: boolean;
}

interface Rates {
  anyDrop: number;
  autoRepeat1: number;
  autoRepeat3: number;
  baseMean: number;
  candMean: number;
}

function rates(verdicts: Verdicts[]): Rates {
  const share = (pick: (v: Verdicts) => boolean) => verdicts.filter(pick).length / verdicts.length;
  return {
    anyDrop: share((v) => v.anyDrop),
    autoRepeat1: share((v) => v.autoRepeat1),
    autoRepeat3: share((v) => v.autoRepeat3),
    baseMean: meanOf(verdicts.map((v) => v.baseMean)),
    candMean: meanOf(verdicts.map((v) => v.candMean)),
  };
}

function simConfig(): Config {
  return { ...defaultConfig(), concurrency: CONCURRENCY };
}

/** Nothing is read from the tree (no includes, schemas or scripts): an empty folder serves. */
function evalDeps(runner: ModelRunner, src: WorkTree) {
  return { runner, root: src.root, suiteSrc: src };
}

/** One suite's two PRs: an A/A candidate and a lowered one, against one baseline run. */
interface SuiteVerdicts {
  aa: Verdicts;
  drop: Verdicts;
}

interface EngineResult {
  suites: SuiteVerdicts[];
  calls: number;
}

/**
 * Stochastic model, no cache: each side, sample and PR is its own draw. Suite i's baseline
 * run serves both its A/A PR and its drop PR (3 evaluations per suite instead of 4): each
 * rate is still measured over PRS PRs that are independent of one another, and the coupling
 * of an A/A PR with its drop sibling affects neither rate.
 */
async function simulateSuites(suites: number[], env: Record<string, string>, root: string): Promise<EngineResult> {
  const config = simConfig();
  const baseRunner = new SeededSamplingRunner({ config, env }, 'baseline');
  const candRunner = new SeededSamplingRunner({ config, env }, 'candidate');
  const stochastic = { temperature: 1 };
  const src = new WorkTree(root);
  const run = (prompt: Prompt, runner: ModelRunner) => evaluate(prompt, src, prompt, evalDeps(runner, src));
  const simulate = async (suite: number): Promise<SuiteVerdicts> => {
    const pr = `suite-${suite}`;
    const base = simPrompt(pr, 'baseline', stochastic, REPEAT);
    const base1 = simPrompt(pr, 'baseline', stochastic, 1);
    const [baseRun, aaRun, dropRun] = await Promise.all([
      run(base, baseRunner),
      run(simPrompt(pr, 'baseline', stochastic, REPEAT), candRunner),
      run(simPrompt(pr, 'lowered', stochastic, REPEAT), candRunner),
    ]);
    const verdicts = (candRun: EvalResult): Verdicts => {
      // The repeat-1 configurations reuse sample 0 of the repeat-3 runs: it is the very draw a
      // repeat-1 run would get (same request, same seed), so one evaluation per side serves all three.
      const first = (run: EvalResult) =>
        scoreTable({ samples: [...run.samples].filter((s) => s.sample === 0), cases: run.cases, repeat: 1 }, [METRIC]);
      const baseTable1 = first(baseRun);
      const candTable1 = first(candRun);
      const base3 = scoreTable(baseRun, [METRIC]);
      const cand3 = scoreTable(candRun, [METRIC]);
      return {
        baseMean: baseTable1.metrics[METRIC]!.mean,
        candMean: candTable1.metrics[METRIC]!.mean,
        anyDrop: regressed(baseTable1, candTable1, ANY_DROP_GATE, base1),
        autoRepeat1: regressed(baseTable1, candTable1, DEFAULT_GATE, base1),
        autoRepeat3: regressed(base3, cand3, DEFAULT_GATE, base),
      };
    };
    return { aa: verdicts(aaRun), drop: verdicts(dropRun) };
  };
  const limit = pLimit(PR_CONCURRENCY);
  const results = await Promise.all(suites.map((suite) => limit(() => simulate(suite))));
  return { suites: results, calls: baseRunner.usage.calls + candRunner.usage.calls };
}

/** Worker side: simulates the suites in workerData and posts their verdicts. */
export async function engineWorker(): Promise<void> {
  const { suites, env, root } = workerData as { suites: number[]; env: Record<string, string>; root: string };
  parentPort!.postMessage(await simulateSuites(suites, env, root));
}

/**
 * The SDK's per-call CPU cost, not the model, bounds this bench: the suites are split over
 * ENGINE_THREADS worker threads (each its own runners), so every core does engine work.
 * Suites are dealt round-robin and the verdicts put back in order, so the figures do not
 * depend on the split.
 */
async function simulateInWorkers(env: Record<string, string>, root: string): Promise<EngineResult> {
  const shards = Array.from({ length: ENGINE_THREADS }, (_, k) =>
    Array.from({ length: PRS }, (_, i) => i).filter((i) => i % ENGINE_THREADS === k),
  );
  const results = await Promise.all(
    shards.map(async (suites) => {
      const worker = new Worker(new URL(import.meta.url), { workerData: { role: 'gate-engine', suites, env, root } });
      const [result] = (await once(worker, 'message')) as [EngineResult];
      await once(worker, 'exit');
      return result;
    }),
  );
  const suites = Array.from({ length: PRS }, (_, i) => results[i % ENGINE_THREADS]!.suites[Math.floor(i / ENGINE_THREADS)]!);
  return { suites, calls: results.reduce((s, r) => s + r.calls, 0) };
}

/** Deterministic model with the cache on: each candidate sample is the baseline's, from the cache. */
async function simulateDeterministic(
  env: Record<string, string>,
  root: string,
): Promise<{ falseAlarms: number; calls: number; cached: number }> {
  const runner = new ModelRunner({ config: simConfig(), env, cacheDir: join(root, 'cache') });
  const deterministic = { temperature: 0 };
  const src = new WorkTree(root);
  const limit = pLimit(PR_CONCURRENCY);
  const verdicts = await Promise.all(
    Array.from({ length: PRS }, (_, i) =>
      limit(async () => {
        const prompt = simPrompt(`det-${i}`, 'baseline', deterministic, 1);
        const baseRun = await evaluate(prompt, src, prompt, evalDeps(runner, src));
        const candRun = await evaluate(prompt, src, prompt, evalDeps(runner, src));
        return regressed(scoreTable(baseRun, [METRIC]), scoreTable(candRun, [METRIC]), DEFAULT_GATE, prompt);
      }),
    ),
  );
  return { falseAlarms: verdicts.filter(Boolean).length / PRS, calls: runner.usage.calls, cached: runner.usage.cached };
}

export async function run(): Promise<BenchCheck[]> {
  const server = await startModelServerThread('gate-model-server');
  const { env } = server;
  const root = await mkdtemp(join(tmpdir(), 'pg-bench-gate-'));
  try {
    const started = performance.now();
    // The main thread would idle while the workers run: it runs the deterministic PRs meanwhile.
    const [stochastic, det] = await Promise.all([simulateInWorkers(env, root), simulateDeterministic(env, root)]);
    const aa = rates(stochastic.suites.map((v) => v.aa));
    const drop = rates(stochastic.suites.map((v) => v.drop));
    const totalMs = performance.now() - started;

    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    console.log(
      markdownTable([
        ['configuration', 'false-alarm rate (A/A)', `detection rate (${DROP * 100} pp drop)`, 'target'],
        ['alpha: null (any drop fails), temperature 1, repeat 1', pct(aa.anyDrop), pct(drop.anyDrop), 'none: the old default'],
        [
          `default (alpha: auto -> ${ALPHA}), temperature 1, repeat 1`,
          pct(aa.autoRepeat1),
          pct(drop.autoRepeat1),
          `false alarms <= ${pct(MAX_FALSE_ALARMS)}`,
        ],
        [
          `default (alpha: auto -> ${ALPHA}), temperature 1, repeat ${REPEAT}`,
          pct(aa.autoRepeat3),
          pct(drop.autoRepeat3),
          `false alarms <= ${pct(MAX_FALSE_ALARMS)}, detection >= ${pct(MIN_DETECTION)}`,
        ],
        ['default (alpha: auto -> none), temperature 0, cache', pct(det.falseAlarms), '-', 'false alarms = 0%'],
      ])
        .split('\n')
        .map((row) => `  ${row}`)
        .join('\n'),
    );
    console.log(
      `  measured accuracy (sample 0, mean over PRs): A/A ${aa.baseMean.toFixed(3)} vs ${aa.candMean.toFixed(3)}; ` +
        `drop ${drop.baseMean.toFixed(3)} vs ${drop.candMean.toFixed(3)}`,
    );
    console.log(
      `  model calls: ${stochastic.calls} stochastic; deterministic ${det.calls} + ${det.cached} cache hits; ` +
        `wall time ${(totalMs / 1000).toFixed(1)} s`,
    );

    return [
      {
        label: `default gate, sampling, repeat 1: false alarms ${pct(aa.autoRepeat1)} <= ${pct(MAX_FALSE_ALARMS)}`,
        ok: aa.autoRepeat1 <= MAX_FALSE_ALARMS,
      },
      {
        label: `default gate, sampling, repeat ${REPEAT}: false alarms ${pct(aa.autoRepeat3)} <= ${pct(MAX_FALSE_ALARMS)}`,
        ok: aa.autoRepeat3 <= MAX_FALSE_ALARMS,
      },
      {
        label: `default gate, sampling, repeat ${REPEAT}: detection ${pct(drop.autoRepeat3)} >= ${pct(MIN_DETECTION)}`,
        ok: drop.autoRepeat3 >= MIN_DETECTION,
      },
      {
        label: `deterministic model: false alarms ${pct(det.falseAlarms)} = 0, candidate served from the cache (${det.cached} of ${PRS * CASES} hits)`,
        ok: det.falseAlarms === 0 && det.cached === PRS * CASES,
      },
    ];
  } finally {
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
}
