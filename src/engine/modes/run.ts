// The engine's entry: loads the head, runs one mode over the shared context, assembles the report.
// A new mode is a module exporting a ModeRunner and one entry in MODES.
import { UserError } from '../errors.js';
import { DatasetMemo } from '../files/dataset.js';
import { DEFAULT_CONFIG_PATH } from '../files/project.js';
import { WorkTree } from '../git/source.js';
import { roundedUsage } from '../gate/prompt-report.js';
import { decide, runResult } from '../gate/verdict.js';
import { plural } from '../report/format.js';
import type { Finding, Mode, Project, Report, RunResult, Usage } from '../types.js';
import { createContext, load, type ModeRunner, type RunOptions } from './context.js';
import { runBaseline } from './baseline.js';
import { runDrift } from './drift.js';
import { runLint } from './lint.js';
import { runPr } from './pr.js';
import { runRelease } from './release.js';

export type { BaselinePolicy, RunOptions } from './context.js';

const MODES: Record<Mode, ModeRunner> = { pr: runPr, baseline: runBaseline, drift: runDrift, lint: runLint, release: runRelease };

/**
 * Runs one mode end to end and returns the report. A broken config is a report too (its
 * findings in `lint`, `stopped` set); other user-fixable problems throw UserError.
 */
export async function run(opts: RunOptions): Promise<Report> {
  const started = Date.now();
  const headSrc = new WorkTree(opts.root);
  const datasets = new DatasetMemo();
  const head = load(headSrc, opts, datasets);
  // Config findings are filed under the config file, or the default name when there is none (globs matching nothing).
  const configFile = head.config.file ?? opts.configPath ?? DEFAULT_CONFIG_PATH;
  const configFiles = new Set([configFile, head.config.file ?? DEFAULT_CONFIG_PATH]);
  const configFindings = head.findings.filter((f) => configFiles.has(f.file));
  if (configFindings.some((f) => f.severity === 'error')) return stoppedOnConfig(opts, configFile, configFindings, started);
  checkShardOptions(opts);
  checkPromptNames(head, opts.prompts);
  const ctx = createContext(opts, headSrc, head, datasets);

  await ctx.runner.removeStaleCacheTemps(started);
  const outcome = await MODES[opts.mode](ctx);
  const lint = outcome.lint;
  const errors = [...ctx.errors];
  const { prompts, result } = decide(outcome.prompts, lint, errors, {
    accept: Boolean(opts.accept),
    failOnRegression: opts.failOnRegression !== false,
  });

  return {
    ...envelope(opts, result),
    lint,
    usage: roundedUsage(opts.merge ? sumUsage(opts.merge.map((p) => p.usage)) : ctx.runner.usage),
    // A merge lasts as long as its slowest shard, plus itself.
    duration_ms: Date.now() - started + Math.max(0, ...(opts.merge ?? []).map((p) => p.duration_ms)),
    prompts,
    models: [...new Set(prompts.flatMap((p) => (p.model ? [p.model] : [])).concat(outcome.judgeModels ?? []))].sort(),
    errors,
    ...(outcome.baselinesWritten ? { baselines_written: outcome.baselinesWritten } : {}),
    ...(opts.shard && ctx.shardSamples ? { shard: { ...opts.shard, samples: ctx.shardSamples } } : {}),
    ...(outcome.released ? { released: outcome.released } : {}),
    ...(outcome.published ? { published: outcome.published } : {}),
  };
}

/** The fields every report starts with. */
function envelope(opts: RunOptions, result: RunResult): Pick<Report, 'schema' | 'result' | 'mode' | 'accepted' | 'base' | 'head'> {
  return {
    schema: 'promptgate/report@1',
    result,
    mode: opts.mode,
    accepted: Boolean(opts.accept),
    base: { ref: opts.base?.ref ?? null, sha: opts.base?.sha ?? null },
    head: { ref: opts.head?.ref ?? null, sha: opts.head?.sha ?? null },
  };
}

/**
 * A config with errors decides which prompts exist, which providers they use and what the
 * gate is, so nothing after it can be trusted: the run stops before linting the prompts or
 * calling a model, and the report carries the config's findings like any other file's.
 */
function stoppedOnConfig(opts: RunOptions, file: string, findings: Finding[], started: number): Report {
  const count = findings.filter((f) => f.severity === 'error').length;
  const errors = [
    `${plural(count, 'configuration error')} (see the findings on ${file}): the run stopped before linting the prompts or calling any model; ` +
      `fix ${count === 1 ? 'it' : 'them'} and run again.`,
  ];
  return {
    ...envelope(opts, runResult([], findings, errors)),
    lint: findings,
    usage: sumUsage([]),
    duration_ms: Date.now() - started,
    prompts: [],
    models: [],
    errors,
    stopped: 'invalid-config',
  };
}

/** A shard evaluates; a merge replays the shards' own run on the same commits. */
function checkShardOptions(opts: RunOptions): void {
  if ((opts.shard || opts.merge) && opts.mode === 'lint') {
    throw new UserError('mode lint makes no model call: there is nothing to shard or merge; drop the input shard');
  }
  const first = opts.merge?.[0];
  if (!first) return;
  const wanted = { mode: opts.mode, head: opts.head?.sha ?? null, base: opts.base?.sha ?? null };
  const made = { mode: first.mode, head: first.head.sha, base: first.base.sha };
  if (wanted.mode !== made.mode || (wanted.head && wanted.head !== made.head) || (wanted.base && wanted.base !== made.base)) {
    throw new UserError(
      `the partial reports were made by mode ${made.mode} at head ${made.head ?? 'none'} against base ${made.base ?? 'none'}, ` +
        `but this merge runs at head ${wanted.head ?? 'none'} against base ${wanted.base ?? 'none'}: ` +
        'merge in the same workflow run as the shards, after they finish',
    );
  }
}

function sumUsage(usages: Usage[]): Usage {
  const total: Usage = { calls: 0, retries: 0, cached: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0 };
  for (const u of usages) for (const key of Object.keys(total) as (keyof Usage)[]) total[key] += u[key] ?? 0;
  return total;
}

/** Names given to select prompts must exist: a typo must not select nothing and pass. */
function checkPromptNames(project: Project, names: string[] | undefined): void {
  const known = new Set([...project.prompts, ...project.lintOnly].map((p) => p.name));
  const unknown = (names ?? []).filter((n) => !known.has(n));
  if (!unknown.length) return;
  const list = [...known].sort().join(', ') || 'none';
  const what =
    unknown.length > 1 ? `No prompts are named ${unknown.map((n) => `"${n}"`).join(', ')}` : `No prompt is named "${unknown[0]}"`;
  throw new UserError(`${what}; the prompts are: ${list}.`);
}
