// Mode release (SPEC 10.2, 11): archive every current prompt version that has no archive
// entry, with its eval scores at release (the stored baseline when it matches, else
// evaluated through the normal runner, cache and budget). All or nothing: any refusal or
// failed evaluation writes no file.
import { join } from 'node:path';
import { includedFiles, promptDependencies, promptHash, suiteHash, templateVariables } from '../artifact/template.js';
import { UserError, formatLocation } from '../errors.js';
import { evaluate, plannedRequests } from '../evaluate/evaluate.js';
import { readBaseline } from '../files/baseline.js';
import { loadProject } from '../files/project.js';
import { scoreTable } from '../gate/compare.js';
import { buildPromptReport, roundedUsage } from '../gate/prompt-report.js';
import { WorkTree, type FileSource } from '../git/source.js';
import { BudgetExceededError, ModelRunner } from '../models/runner.js';
import { archivePath, toArchive, writeArchive, type ArchivedArtifact } from '../registry/archive.js';
import { commitOf, permalink, uncommitted } from '../registry/history.js';
import { loadRegistry } from '../registry/registry.js';
import { planRelease } from '../registry/release.js';
import type { ArchiveFile, Finding, Prompt, Usage } from '../types.js';
import { TOOL_VERSION } from '../version.js';

export interface ReleaseOptions {
  root: string;
  configPath?: string;
  /** Only these prompts; empty: every prompt. */
  prompts?: string[];
  concurrency?: number;
  cache?: boolean;
  maxCostUsd?: number;
  env: Record<string, string | undefined>;
  /** GITHUB_SERVER_URL, for permalinks on GitHub Enterprise. */
  serverUrl?: string;
  onProgress?: (done: number, total: number) => void;
  log?: (message: string) => void;
}

export interface ReleaseResult {
  result: 'pass' | 'fail';
  /** Archive files written, repo-relative. */
  written: string[];
  /** Prompts whose current version was already archived. */
  upToDate: string[];
  /** Why nothing was written: lint errors, damaged archives, failed evaluations. */
  refusals: Finding[];
  errors: string[];
  usage: Usage;
}

export async function release(opts: ReleaseOptions): Promise<ReleaseResult> {
  const src = new WorkTree(opts.root);
  const project = loadProject(src, opts.configPath ? { configPath: opts.configPath } : {});
  const { config } = project;
  const configProblems = project.findings.filter((f) => f.file === config.file && f.severity === 'error');
  if (configProblems.length) {
    throw new UserError(configProblems.map((f) => `${formatLocation(f)}: ${f.message}`).join('\n'), configProblems[0]);
  }
  const registry = loadRegistry(src, config);
  const plan = planRelease(project, registry, src, opts.prompts ?? []);
  const runner = new ModelRunner({
    config,
    env: opts.env,
    ...(opts.cache === false ? {} : { cacheDir: join(opts.root, config.cache) }),
    ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
    budget: { ...config.budget, ...(opts.maxCostUsd !== undefined ? { max_cost_usd: opts.maxCostUsd } : {}) },
  });
  const outcome = (refusals: Finding[], errors: string[] = [], written: string[] = []): ReleaseResult => ({
    result: refusals.length || errors.length ? 'fail' : 'pass',
    written,
    upToDate: plan.upToDate.map((p) => p.name),
    refusals,
    errors,
    usage: roundedUsage(runner.usage),
  });
  if (plan.refusals.length) return outcome(plan.refusals);
  if (!plan.targets.length) return outcome([]);

  const head = await commitOf(opts.root);
  const dirty = await uncommitted(
    opts.root,
    plan.targets.flatMap((p) => promptDependencies(p, src)),
  );
  if (dirty.length) {
    throw new UserError(
      `Uncommitted changes in ${dirty.join(', ')}: an archive records the commit it was released from, so commit them first (or stash them).`,
    );
  }
  const evals = plan.targets.map((prompt) => ({ prompt, stored: storedScores(prompt, src, config.baselines) }));
  const toEvaluate = evals.filter((e) => !e.stored).map((e) => e.prompt);
  if (toEvaluate.length) {
    runner.assertReady(
      new Set(toEvaluate.flatMap((p) => [p.model.provider, ...p.suite.metrics.flatMap((m) => (m.model ? [m.model.provider] : []))])),
    );
    await runner.estimate(toEvaluate.flatMap((p) => plannedRequests(p, src, p.suite)));
  }
  const progress = { done: 0, total: toEvaluate.reduce((n, p) => n + p.suite.cases.length * p.suite.repeat, 0) };
  const errors: string[] = [];
  const entries = await Promise.all(
    evals.map(async ({ prompt, stored }): Promise<{ path: string; archive: ArchiveFile } | undefined> => {
      let scores = stored;
      if (!scores) {
        const evaluated = await evaluatedScores(prompt, src, runner, opts, progress).catch((err: unknown) => {
          errors.push(`${prompt.name} ${prompt.version}: ${(err as Error).message}`);
          return undefined;
        });
        if (!evaluated) return undefined;
        if ('error' in evaluated) {
          errors.push(`${prompt.name} ${prompt.version}: ${evaluated.error}`);
          return undefined;
        }
        scores = evaluated;
      }
      const url = await permalink(opts.root, head.sha, prompt.file, opts.serverUrl);
      return {
        path: archivePath(config, prompt.name, prompt.version),
        archive: toArchive(artifactOf(prompt, src), {
          source: { path: prompt.file, commit: head.sha, ...(url && { url }) },
          eval: scores,
          released_at: head.date,
          tool_version: TOOL_VERSION,
        }),
      };
    }),
  );
  if (errors.length) return outcome([], errors);
  const written: string[] = [];
  for (const entry of entries) {
    await writeArchive(opts.root, entry!.path, entry!.archive);
    written.push(entry!.path);
  }
  return outcome([], [], written.sort());
}

/** The stored baseline's scores when it was made for this very version and suite. */
function storedScores(prompt: Prompt, src: FileSource, baselines: string): ArchiveFile['eval'] | undefined {
  const stored = readBaseline(src, baselines, prompt.name);
  if (!('baseline' in stored)) return undefined;
  const suite = suiteHash(prompt.suite, src);
  if (stored.baseline.prompt_hash !== promptHash(prompt, src) || stored.baseline.suite_hash !== suite) return undefined;
  return { suite_hash: suite, metrics: stored.baseline.metrics };
}

async function evaluatedScores(
  prompt: Prompt,
  src: FileSource,
  runner: ModelRunner,
  opts: ReleaseOptions,
  progress: { done: number; total: number },
): Promise<ArchiveFile['eval'] | { error: string }> {
  try {
    const result = await evaluate(prompt, src, prompt.suite, {
      runner,
      root: opts.root,
      suiteSrc: src,
      onSample: () => opts.onProgress?.(++progress.done, progress.total),
    });
    const affected = { name: prompt.name, file: prompt.file, change: 'modified' as const, head: prompt };
    const report = buildPromptReport({ affected, prompt, gateDefaults: {}, candidate: result });
    if (report.status === 'error') return { error: report.error ?? `${report.cases.errored.length} cases errored` };
    const table = scoreTable(
      result.samples,
      prompt.suite.metrics.map((m) => m.name),
    );
    return { suite_hash: result.suiteHash, metrics: table.metrics };
  } catch (err) {
    if (err instanceof BudgetExceededError) return { error: err.message };
    throw err;
  }
}

function artifactOf(prompt: Prompt, src: FileSource): ArchivedArtifact {
  const files = includedFiles(prompt, src).files;
  return {
    name: prompt.name,
    version: prompt.version,
    hash: promptHash(prompt, src),
    model: { provider: prompt.model.provider, name: prompt.model.name, params: prompt.model.params },
    messages: prompt.messages,
    templates: Object.fromEntries(files.map((f) => [f, src.read(f)!])),
    variables: templateVariables(prompt, src).map((v) => v.name),
  };
}
