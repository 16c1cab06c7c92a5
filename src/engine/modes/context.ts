// What every mode shares: the options of a run, the loaded head, one model runner, progress,
// and the helpers that evaluate a prompt version and turn a failure into a report value.
import { join } from 'node:path';
import { evaluate } from '../evaluate/evaluate.js';
import { loadProject } from '../files/project.js';
import { BudgetExceededError, ModelRunner } from '../models/runner.js';
import type { WorkTree } from '../git/source.js';
import { type FileSource } from '../git/source.js';
import type { ChangedFile } from '../git/commands.js';
import type { UnjudgedPromptReport } from '../gate/prompt-report.js';
import type { EvalResult, Finding, Mode, Project, Prompt } from '../types.js';

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

export interface Context {
  opts: RunOptions;
  headSrc: WorkTree;
  head: Project;
  readonly runner: ModelRunner;
  progress: { done: number; total: number };
  /** Run-level failures (a spent budget stops every prompt: say it once). */
  errors: Set<string>;
}

/** What a mode hands back for the report. */
export interface Outcome {
  prompts: UnjudgedPromptReport[];
  lint: Finding[];
  judgeModels?: string[];
  baselinesWritten?: string[];
}

export type ModeRunner = (ctx: Context) => Promise<Outcome>;

export function createContext(opts: RunOptions, headSrc: WorkTree, head: Project): Context {
  const { config } = head;
  return {
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
}

export function load(src: FileSource, opts: RunOptions): Project {
  return loadProject(src, opts.configPath ? { configPath: opts.configPath } : {});
}

/** Evaluates `version` (a prompt as `src` holds it) on `suiteOf`'s suite, counting progress. */
export function evaluateTracked(ctx: Context, version: Prompt, src: FileSource, suiteOf: Prompt): Promise<EvalResult> {
  const suite = suiteOf.suite;
  ctx.progress.total += suite.cases.length * suite.repeat;
  ctx.opts.onProgress?.(ctx.progress.done, ctx.progress.total);
  return evaluate(version, src, suiteOf, {
    runner: ctx.runner,
    root: ctx.opts.root,
    suiteSrc: ctx.headSrc,
    onSample: () => ctx.opts.onProgress?.(++ctx.progress.done, ctx.progress.total),
  });
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
