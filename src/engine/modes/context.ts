// What every mode shares: the options of a run, the loaded head, one model runner, progress,
// and the helpers that evaluate a prompt version and turn a failure into a report value.
import { join } from 'node:path';
import { caseIndex } from '../evaluate/case-index.js';
import { evaluate } from '../evaluate/evaluate.js';
import { OutputStore } from '../evaluate/output-store.js';
import type { DatasetMemo } from '../files/dataset.js';
import { loadProject } from '../files/project.js';
import { BudgetExceededError, ModelRunner } from '../models/runner.js';
import { ensureCommit } from '../git/commands.js';
import { GitTree, type FileSource, type WorkTree } from '../git/source.js';
import type { ChangedFile } from '../git/commands.js';
import type { UnjudgedPromptReport } from '../gate/prompt-report.js';
import type { CaseList, EvalResult, Finding, Mode, Project, Prompt, Report, ShardSamples } from '../types.js';
import { casesInShard, mergedSamples, type PartialReport, type Shard, type ShardData, type Side } from './shard.js';

export type { BaselinePolicy } from '../settings.js';
import type { BaselinePolicy } from '../settings.js';

export interface RunOptions {
  /** Absolute path of the repository (the workspace). */
  root: string;
  mode: Mode;
  configPath?: string;
  /** Production: the PR's base commit (pr mode; optional for lint, where it enables the version rules). */
  base?: { sha: string; ref: string | null };
  head?: { sha: string | null; ref: string | null };
  /** The change under review (or git working it out already); undefined: diff the merge-base with the working tree. */
  changedFiles?: ChangedFile[] | Promise<ChangedFile[]>;
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
  /** Evaluate only this shard's work units and return a partial report (SPEC 14). */
  shard?: Shard;
  /**
   * Merge these partial reports (checked by readPartialReports) instead of calling models:
   * the same plan as the shards' run, its samples taken from them. `mode` must be theirs.
   */
  merge?: PartialReport[];
  /** Mode release: then write the published bundle (SPEC 10.4) to this absolute directory. */
  publishDir?: string;
  /** API keys and base URLs; the engine never reads process.env. */
  env: Record<string, string | undefined>;
  onProgress?: (done: number, total: number) => void;
  log?: (message: string) => void;
}

export interface Context {
  opts: RunOptions;
  headSrc: WorkTree;
  head: Project;
  /** The head's parsed datasets, which a base load reuses when the change left them alone. */
  datasets: DatasetMemo;
  readonly runner: ModelRunner;
  progress: { done: number; total: number };
  /** Run-level failures (a spent budget stops every prompt: say it once). */
  errors: Set<string>;
  /** Sharded run: what each prompt side evaluated, for the partial report. */
  shardSamples?: ShardData['samples'];
  /** The outputs every evaluation of the run keeps, within one memory budget. */
  outputs: OutputStore;
}

/** What a mode hands back for the report. */
export interface Outcome {
  prompts: UnjudgedPromptReport[];
  lint: Finding[];
  judgeModels?: string[];
  baselinesWritten?: string[];
  /** Mode release: archive files written. */
  released?: string[];
  published?: Report['published'];
}

export type ModeRunner = (ctx: Context) => Promise<Outcome>;

export function createContext(opts: RunOptions, headSrc: WorkTree, head: Project, datasets: DatasetMemo): Context {
  const { config } = head;
  return {
    opts,
    headSrc,
    head,
    datasets,
    runner: new ModelRunner({
      config,
      env: opts.env,
      // Drift measures the live model: a cached answer would hide exactly what it looks for.
      ...(opts.cache === false || opts.mode === 'drift' ? {} : { cacheDir: join(opts.root, config.cache) }),
      ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
      budget: { ...config.budget, ...(opts.maxCostUsd !== undefined ? { max_cost_usd: opts.maxCostUsd } : {}) },
    }),
    progress: { done: 0, total: 0 },
    errors: new Set(opts.merge?.flatMap((p) => p.errors)),
    outputs: new OutputStore(),
    ...(opts.shard ? { shardSamples: {} } : {}),
  };
}

export function load(src: FileSource, opts: RunOptions, datasets?: DatasetMemo): Project {
  return loadProject(src, { configPath: opts.configPath, datasets });
}

/**
 * The base commit's tree (fetched when the checkout lacks it) and its project. The files the
 * head's project read are fetched first, in one go, and datasets the change left alone are
 * the head's cases: the base project mostly has the same files.
 */
export async function loadBase(ctx: Context, sha: string): Promise<{ src: GitTree; project: Project }> {
  await ensureCommit(ctx.opts.root, sha);
  const src = new GitTree(ctx.opts.root, sha);
  await src.preload(ctx.headSrc.requested);
  return { src, project: load(src, ctx.opts, ctx.datasets) };
}

/**
 * Evaluates `version` (a prompt as `src` holds it) on `suiteOf`'s suite (the progress total
 * is set by prepare()): only the shard's cases in a sharded run, none in a merge (the shards'
 * samples answer). `side` says which side of the comparison the samples are, for partial reports.
 */
export async function evaluateTracked(ctx: Context, version: Prompt, src: FileSource, suiteOf: Prompt, side: Side): Promise<EvalResult> {
  const suite = suiteOf.suite;
  if (ctx.opts.merge) {
    return {
      prompt: version.name,
      version: version.version,
      promptHash: version.artifact.hash,
      model: version.model.name,
      samples: mergedSamples(ctx.opts.merge, suiteOf.name, side, suite),
      cases: caseIndex(suite.cases),
      repeat: suite.repeat,
    };
  }
  const cases = casesOf(ctx, suiteOf);
  const evaluation = evaluate(version, src, suiteOf, {
    runner: ctx.runner,
    root: ctx.opts.root,
    suiteSrc: ctx.headSrc,
    cases,
    onSample: () => ctx.opts.onProgress?.(++ctx.progress.done, ctx.progress.total),
    outputs: ctx.outputs,
  });
  const held = ctx.shardSamples;
  if (!held) return evaluation;
  const record = (samples: ShardSamples) => (held[suiteOf.name] = { ...held[suiteOf.name], [side]: samples });
  try {
    const result = await evaluation;
    // The evaluation's samples hold only the outputs something reads (keepsOutput).
    record({ samples: [...result.samples] });
    return result;
  } catch (err) {
    record({ error: err instanceof Error ? err.message : String(err) });
    throw err;
  }
}

/** The cases of a prompt's suite this run evaluates: the shard's, or all. */
export function casesOf(ctx: Context, suiteOf: Prompt): CaseList {
  return ctx.opts.shard ? casesInShard(suiteOf.name, suiteOf.suite, ctx.opts.shard) : suiteOf.suite.cases;
}

/** The message of an error that stopped a prompt; a spent budget stops the whole run. */
export function failure(ctx: Context, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof BudgetExceededError) ctx.errors.add(message);
  return message;
}

export function only<T extends { name: string }>(items: T[], names: string[] | undefined): T[] {
  return names?.length ? items.filter((i) => names.includes(i.name)) : items;
}

export function judgeModels(prompts: Prompt[]): string[] {
  return prompts.flatMap((p) => p.suite.metrics.flatMap((m) => (m.model ? [m.model.name] : [])));
}

/** The same prompt at the base, matched by name, for the version rules. */
export function baseVersion(base: Project, prompt: Prompt): { base?: Prompt } {
  const before = base.prompts.find((p) => p.name === prompt.name) ?? base.lintOnly.find((p) => p.name === prompt.name);
  return before ? { base: before } : {};
}
