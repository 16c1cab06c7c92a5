import { join } from 'node:path';
import { writeFileAtomic } from '../files/atomic-write.js';
import { baselinePath, readBaseline, toBaseline } from '../files/baseline.js';
import { scoreTable } from '../gate/compare.js';
import { UserError, formatLocation } from '../errors.js';
import { evaluate, plannedRequests } from '../evaluate/evaluate.js';
import { loadProject } from '../files/project.js';
import { diffFiles, ensureCommit, mergeBase, type ChangedFile } from '../git/commands.js';
import { affectedPrompts, type AffectedPrompt } from '../git/graph.js';
import { dedupeFindings, lintPrompt } from '../lint/index.js';
import { BudgetExceededError, ModelRunner } from '../models/runner.js';
import { GitTree, WorkTree, type FileSource } from '../git/source.js';
import { promptHash, suiteHash } from '../artifact/template.js';
import { buildPromptReport, removedPromptReport, roundedUsage, type BaselineSide } from '../gate/prompt-report.js';
import type { BaselineFile, ChatRequest, EvalResult, Finding, Mode, Project, Prompt, PromptReport, Report } from '../types.js';

export type BaselinePolicy = 'auto' | 'stored' | 'rerun';

export interface RunOptions {
  /** Absolute path of the repository (the workspace). */
  root: string;
  mode: Mode;
  configPath?: string;
  /** Production: the PR's base commit (pr mode; optional for lint, where it enables the version rules). */
  base?: { sha: string; ref: string | null };
  head?: { sha: string | null; ref: string | null };
  /** The change under review; undefined: diff the merge-base with the working tree. */
  changedFiles?: ChangedFile[];
  baseline?: BaselinePolicy;
  /** Only these prompt names. */
  prompts?: string[];
  concurrency?: number;
  cache?: boolean;
  maxCostUsd?: number;
  /** Mode baseline: rewrite every baseline, not only the stale ones. */
  all?: boolean;
  /** The accept label is on the PR: regressions are reported but do not fail. */
  accept?: boolean;
  failOnRegression?: boolean;
  /** API keys and base URLs; the engine never reads process.env. */
  env: Record<string, string | undefined>;
  onProgress?: (done: number, total: number) => void;
  log?: (message: string) => void;
}

interface Context {
  opts: RunOptions;
  headSrc: WorkTree;
  head: Project;
  readonly runner: ModelRunner;
  progress: { done: number; total: number };
  /** Run-level failures (a spent budget stops every prompt: say it once). */
  errors: Set<string>;
}

/** Runs one mode end to end and returns the report. User-fixable problems throw UserError. */
export async function run(opts: RunOptions): Promise<Report> {
  const started = Date.now();
  const headSrc = new WorkTree(opts.root);
  const head = load(headSrc, opts);
  const configProblems = head.findings.filter((f) => f.file === head.config.file && f.severity === 'error');
  if (configProblems.length) {
    throw new UserError(configProblems.map((f) => `${formatLocation(f)}: ${f.message}`).join('\n'), configProblems[0]);
  }
  const { config } = head;
  const ctx: Context = {
    opts,
    headSrc,
    head,
    runner: new ModelRunner({
      config,
      env: opts.env,
      // Drift measures the live model: a cached answer would hide exactly what it looks for.
      ...(opts.cache === false || opts.mode === 'drift' ? {} : { cacheDir: join(opts.root, config.cache) }),
      ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
      budget: { ...config.budget, ...(opts.maxCostUsd !== undefined ? { max_cost_usd: opts.maxCostUsd } : {}) },
    }),
    progress: { done: 0, total: 0 },
    errors: new Set(),
  };

  const outcome = await MODES[opts.mode](ctx);
  const prompts = outcome.prompts;
  const lint = outcome.lint;
  const errors = [...ctx.errors];
  const failOnRegression = opts.failOnRegression !== false;
  const gateFailed = prompts.some((p) => p.status === 'regressed' || p.status === 'below-min');
  const failed =
    errors.length > 0 ||
    lint.some((f) => f.severity === 'error') ||
    prompts.some((p) => p.status === 'error') ||
    (failOnRegression && gateFailed && !opts.accept);

  return {
    schema: 'promptgate/report@1',
    result: failed ? 'fail' : 'pass',
    mode: opts.mode,
    accepted: Boolean(opts.accept),
    base: { ref: opts.base?.ref ?? null, sha: opts.base?.sha ?? null },
    head: { ref: opts.head?.ref ?? null, sha: opts.head?.sha ?? null },
    lint,
    usage: roundedUsage(ctx.runner.usage),
    duration_ms: Date.now() - started,
    prompts,
    models: [...new Set(prompts.flatMap((p) => (p.model ? [p.model] : [])).concat(outcome.judgeModels ?? []))].sort(),
    errors,
    ...(outcome.baselinesWritten ? { baselines_written: outcome.baselinesWritten } : {}),
  };
}

interface Outcome {
  prompts: PromptReport[];
  lint: Finding[];
  judgeModels?: string[];
  baselinesWritten?: string[];
}

const MODES: Record<Mode, (ctx: Context) => Promise<Outcome>> = { pr: runPr, baseline: runBaseline, drift: runDrift, lint: runLint };

// ---------- pr ----------

interface Plan {
  affected: AffectedPrompt;
  baseline: { source: 'stored'; file: BaselineFile } | { source: 'rerun' } | { source: 'none' } | { source: 'error'; message: string };
}

async function runPr(ctx: Context): Promise<Outcome> {
  const { opts, head, headSrc } = ctx;
  if (!opts.base)
    throw new UserError('Mode pr needs a base commit to compare with (the pull request base, or --base REF on the command line).');
  await ensureCommit(opts.root, opts.base.sha);
  const baseSrc = new GitTree(opts.root, opts.base.sha);
  const base = load(baseSrc, opts);
  const changed = opts.changedFiles ?? (await diffFiles(opts.root, await mergeBase(opts.root, opts.base.sha)));
  const affected = only(affectedPrompts({ project: head, src: headSrc }, { project: base, src: baseSrc }, changed), opts.prompts);
  opts.log?.(
    affected.length
      ? `Affected prompts: ${affected.map((a) => `${a.name} (${a.change})`).join(', ')}`
      : 'No prompt is affected by this change.',
  );

  const touched = new Set(changed.flatMap((f) => (f.previous ? [f.path, f.previous] : [f.path])));
  for (const a of affected) touched.add(a.file);
  const lint = dedupeFindings([
    ...head.findings.filter((f) => touched.has(f.file)),
    ...affected.flatMap((a) =>
      a.head ? lintPrompt({ prompt: a.head, headSrc, ...(a.base ? { base: a.base } : {}), baseSrc, config: head.config }) : [],
    ),
    ...head.lintOnly
      .filter((p) => touched.has(p.file) || (p.suiteFile !== undefined && touched.has(p.suiteFile)))
      .flatMap((prompt) => lintPrompt({ prompt, headSrc, config: head.config, baseSrc, ...baseVersion(base, prompt) })),
  ]);

  const plans = affected.map((a) => planBaseline(a, opts.baseline ?? 'auto', head, headSrc, baseSrc));
  ctx.runner.assertReady(providersNeeded(plans));
  await estimate(
    ctx,
    plans.flatMap(({ affected: { head: prompt, base }, baseline }) =>
      prompt
        ? [
            plannedRequests(prompt, headSrc, prompt.suite),
            baseline.source === 'rerun' && base ? plannedRequests(base, baseSrc, prompt.suite) : [],
          ].flat()
        : [],
    ),
  );
  const prompts = await Promise.all(plans.map((plan) => evaluatePlan(ctx, plan, baseSrc)));
  return { prompts, lint, judgeModels: judgeModels(affected.flatMap((a) => (a.head ? [a.head] : []))) };
}

function planBaseline(affected: AffectedPrompt, policy: BaselinePolicy, head: Project, headSrc: FileSource, baseSrc: FileSource): Plan {
  const { base, head: prompt } = affected;
  if (!base || !prompt) return { affected, baseline: { source: 'none' } };
  if (policy === 'rerun') return { affected, baseline: { source: 'rerun' } };
  const stored = readBaseline(baseSrc, head.config.baselines, base.name);
  const file = baselinePath(head.config.baselines, base.name);
  const fix = 'run mode baseline (promptgate baseline) on the base branch and commit the result, or use baseline: auto';
  if ('baseline' in stored) {
    const fresh =
      stored.baseline.prompt_hash === promptHash(base, baseSrc) && stored.baseline.suite_hash === suiteHash(prompt.suite, headSrc);
    if (fresh) return { affected, baseline: { source: 'stored', file: stored.baseline } };
    if (policy === 'stored')
      return {
        affected,
        baseline: {
          source: 'error',
          message: `The stored baseline ${file} is stale: it was made for another version of the prompt or suite. To fix it, ${fix}.`,
        },
      };
  } else if (policy === 'stored') {
    const why = 'missing' in stored ? `There is no stored baseline ${file} at the base commit` : stored.problem.message;
    return { affected, baseline: { source: 'error', message: `${why}. To fix it, ${fix}.` } };
  }
  return { affected, baseline: { source: 'rerun' } };
}

function providersNeeded(plans: Plan[]): Set<string> {
  const providers = new Set<string>();
  for (const { affected, baseline } of plans) {
    if (!affected.head) continue;
    providers.add(affected.head.model.provider);
    for (const m of affected.head.suite.metrics) if (m.model) providers.add(m.model.provider);
    if (baseline.source === 'rerun' && affected.base) providers.add(affected.base.model.provider);
  }
  return providers;
}

async function evaluatePlan(ctx: Context, { affected, baseline }: Plan, baseSrc: FileSource): Promise<PromptReport> {
  const prompt = affected.head;
  if (!prompt) return removedPromptReport(affected);
  const gateDefaults = ctx.head.config.gate;
  if (baseline.source === 'error') return buildPromptReport({ affected, prompt, gateDefaults, error: baseline.message });
  const base = affected.base;
  try {
    const [candidate, rerun] = await Promise.all([
      evaluateTracked(ctx, prompt, ctx.headSrc, prompt),
      baseline.source === 'rerun' && base ? evaluateTracked(ctx, base, baseSrc, prompt) : undefined,
    ]);
    const baseSide: BaselineSide | undefined =
      baseline.source === 'stored'
        ? { source: 'stored', table: baseline.file, outputs: baseline.file.outputs ?? {}, version: baseline.file.version }
        : rerun
          ? sideOf(rerun, prompt)
          : undefined;
    return buildPromptReport({ affected, prompt, gateDefaults, candidate, ...(baseSide ? { baseline: baseSide } : {}) });
  } catch (err) {
    return buildPromptReport({ affected, prompt, gateDefaults, error: failure(ctx, err) });
  }
}

function sideOf(result: EvalResult, prompt: Prompt): BaselineSide {
  const outputs: Record<string, string> = {};
  for (const s of result.samples) if (s.sample === 0) outputs[s.caseId] = s.output;
  return {
    source: 'rerun',
    table: scoreTable(
      result.samples,
      prompt.suite.metrics.map((m) => m.name),
    ),
    outputs,
    version: result.version,
    samples: result.samples,
  };
}

/** Evaluates `version` (a prompt as `src` holds it) on `suiteOf`'s suite, counting progress. */
function evaluateTracked(ctx: Context, version: Prompt, src: FileSource, suiteOf: Prompt): Promise<EvalResult> {
  const suite = suiteOf.suite;
  ctx.progress.total += suite.cases.length * suite.repeat;
  ctx.opts.onProgress?.(ctx.progress.done, ctx.progress.total);
  return evaluate(version, src, suite, {
    runner: ctx.runner,
    root: ctx.opts.root,
    suiteSrc: ctx.headSrc,
    onSample: () => ctx.opts.onProgress?.(++ctx.progress.done, ctx.progress.total),
  });
}

// ---------- baseline ----------

async function runBaseline(ctx: Context): Promise<Outcome> {
  const { head, headSrc, opts } = ctx;
  const targets = only(head.prompts, opts.prompts).filter((p) => {
    const stored = readBaseline(headSrc, head.config.baselines, p.name);
    const fresh =
      'baseline' in stored &&
      stored.baseline.prompt_hash === promptHash(p, headSrc) &&
      stored.baseline.suite_hash === suiteHash(p.suite, headSrc);
    if (fresh && !opts.all) opts.log?.(`${p.name}: stored baseline is current`);
    return opts.all || !fresh;
  });
  ctx.runner.assertReady(
    new Set(targets.flatMap((p) => [p.model.provider, ...p.suite.metrics.flatMap((m) => (m.model ? [m.model.provider] : []))])),
  );
  await estimate(
    ctx,
    targets.flatMap((p) => plannedRequests(p, headSrc, p.suite)),
  );
  const written: string[] = [];
  const prompts = await Promise.all(
    targets.map(async (prompt) => {
      const affected: AffectedPrompt = { name: prompt.name, file: prompt.file, change: 'modified', head: prompt };
      try {
        const result = await evaluateTracked(ctx, prompt, headSrc, prompt);
        const report = buildPromptReport({ affected, prompt, gateDefaults: head.config.gate, candidate: result });
        if (report.status !== 'error') {
          const file = baselinePath(head.config.baselines, prompt.name);
          const table = scoreTable(
            result.samples,
            prompt.suite.metrics.map((m) => m.name),
          );
          await writeFileAtomic(join(opts.root, file), `${JSON.stringify(toBaseline(result, table, prompt.suite.repeat), null, 2)}\n`);
          written.push(file);
        }
        return report;
      } catch (err) {
        return buildPromptReport({ affected, prompt, gateDefaults: head.config.gate, error: failure(ctx, err) });
      }
    }),
  );
  return { prompts, lint: [], judgeModels: judgeModels(targets), baselinesWritten: written.sort() };
}

// ---------- drift ----------

/** Re-evaluates every prompt live (no cache) against its stored baseline: a drop is provider drift. */
async function runDrift(ctx: Context): Promise<Outcome> {
  const { head, headSrc, opts } = ctx;
  const targets = only(head.prompts, opts.prompts);
  ctx.runner.assertReady(new Set(targets.map((p) => p.model.provider)));
  await estimate(
    ctx,
    targets.flatMap((p) => plannedRequests(p, headSrc, p.suite)),
  );
  const prompts = await Promise.all(
    targets.map(async (prompt) => {
      const affected: AffectedPrompt = { name: prompt.name, file: prompt.file, change: 'modified', head: prompt, base: prompt };
      const gateDefaults = head.config.gate;
      const stored = readBaseline(headSrc, head.config.baselines, prompt.name);
      const file = baselinePath(head.config.baselines, prompt.name);
      if (!('baseline' in stored)) {
        const why = 'missing' in stored ? `No stored baseline ${file}` : stored.problem.message;
        return buildPromptReport({
          affected,
          prompt,
          gateDefaults,
          error: `${why}: run promptgate baseline (mode: baseline) on the production branch first.`,
        });
      }
      if (stored.baseline.prompt_hash !== promptHash(prompt, headSrc) || stored.baseline.suite_hash !== suiteHash(prompt.suite, headSrc)) {
        return buildPromptReport({
          affected,
          prompt,
          gateDefaults,
          error: `The stored baseline ${file} is stale (the prompt or its suite changed since): run promptgate baseline to refresh it.`,
        });
      }
      try {
        const candidate = await evaluateTracked(ctx, prompt, headSrc, prompt);
        const baseline: BaselineSide = {
          source: 'stored',
          table: stored.baseline,
          outputs: stored.baseline.outputs ?? {},
          version: stored.baseline.version,
        };
        return buildPromptReport({ affected, prompt, gateDefaults, candidate, baseline });
      } catch (err) {
        return buildPromptReport({ affected, prompt, gateDefaults, error: failure(ctx, err) });
      }
    }),
  );
  return { prompts, lint: [], judgeModels: judgeModels(targets) };
}

// ---------- lint ----------

async function runLint(ctx: Context): Promise<Outcome> {
  const { head, headSrc, opts } = ctx;
  let base: { project: Project; src: FileSource } | undefined;
  if (opts.base) {
    await ensureCommit(opts.root, opts.base.sha);
    const src = new GitTree(opts.root, opts.base.sha);
    base = { project: load(src, opts), src };
  }
  const targets = only([...head.prompts, ...head.lintOnly], opts.prompts);
  const lint = dedupeFindings([
    ...head.findings,
    ...targets.flatMap((prompt) =>
      lintPrompt({ prompt, headSrc, config: head.config, ...(base ? { baseSrc: base.src, ...baseVersion(base.project, prompt) } : {}) }),
    ),
  ]);
  return { prompts: [], lint };
}

// ---------- shared ----------

function load(src: FileSource, opts: RunOptions): Project {
  return loadProject(src, opts.configPath ? { configPath: opts.configPath } : {});
}

/**
 * Says what the run will spend before it spends it. A run whose calls alone exceed
 * `budget.max_calls` makes none: the budget error is the run's, and each prompt's.
 */
async function estimate(ctx: Context, requests: ChatRequest[]): Promise<void> {
  if (!requests.length) return;
  try {
    const e = await ctx.runner.estimate(requests);
    ctx.opts.log?.(
      `Estimate: ${e.calls} model calls (plus judge calls, if any), ${e.cached} answered by the cache, ` +
        `up to ${e.inputTokens + e.outputTokens} tokens, up to $${e.costUsd.toFixed(4)}.`,
    );
  } catch (err) {
    if (!(err instanceof BudgetExceededError)) throw err;
    // The runner now refuses network calls: prompts finish from the cache or report the budget.
    failure(ctx, err);
    ctx.opts.log?.((err as Error).message);
  }
}

/** The same prompt at the base, matched by name, for the version rules. */
function baseVersion(base: Project, prompt: Prompt): { base?: Prompt } {
  const before = base.prompts.find((p) => p.name === prompt.name) ?? base.lintOnly.find((p) => p.name === prompt.name);
  return before ? { base: before } : {};
}

function only<T extends { name: string }>(items: T[], names: string[] | undefined): T[] {
  return names?.length ? items.filter((i) => names.includes(i.name)) : items;
}

function judgeModels(prompts: Prompt[]): string[] {
  return prompts.flatMap((p) => p.suite.metrics.flatMap((m) => (m.model ? [m.model.name] : [])));
}

/** The message of an error that stopped a prompt; a spent budget stops the whole run. */
function failure(ctx: Context, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof BudgetExceededError) ctx.errors.add(message);
  return message;
}
