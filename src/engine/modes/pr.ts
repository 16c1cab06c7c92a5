// Mode pr: the prompts a change affects, evaluated at head against their base versions.
import { scoreTable } from '../gate/compare.js';
import { UserError } from '../errors.js';
import { diffFiles, ensureCommit, mergeBase } from '../git/commands.js';
import { affectedPrompts, type AffectedPrompt } from '../git/graph.js';
import { dedupeFindings, lintPrompt } from '../lint/index.js';
import { GitTree, type FileSource } from '../git/source.js';
import { buildPromptReport, removedPromptReport, type BaselineSide, type UnjudgedPromptReport } from '../gate/prompt-report.js';
import type { BaselineFile, EvalResult, Prompt } from '../types.js';
import {
  baseVersion,
  evaluateTracked,
  failure,
  judgeModels,
  load,
  only,
  type BaselinePolicy,
  type Context,
  type Outcome,
} from './context.js';
import { prepare, storedBaseline, type PlannedEvaluation } from './plan.js';

interface Plan {
  affected: AffectedPrompt;
  baseline: { source: 'stored'; file: BaselineFile } | { source: 'rerun' } | { source: 'none' } | { source: 'error'; message: string };
}

export async function runPr(ctx: Context): Promise<Outcome> {
  const { opts, head } = ctx;
  if (!opts.base)
    throw new UserError('Mode pr needs a base commit to compare with (the pull request base, or --base REF on the command line).');
  await ensureCommit(opts.root, opts.base.sha);
  const baseSrc = new GitTree(opts.root, opts.base.sha);
  const base = load(baseSrc, opts);
  const changed = opts.changedFiles ?? (await diffFiles(opts.root, await mergeBase(opts.root, opts.base.sha)));
  const affected = only(affectedPrompts(head, base, changed), opts.prompts);
  opts.log?.(
    affected.length
      ? `Affected prompts: ${affected.map((a) => `${a.name} (${a.change})`).join(', ')}`
      : 'No prompt is affected by this change.',
  );

  const touched = new Set(changed.flatMap((f) => (f.previous ? [f.path, f.previous] : [f.path])));
  for (const a of affected) touched.add(a.file);
  const lint = dedupeFindings([
    ...head.findings.filter((f) => touched.has(f.file)),
    ...affected.flatMap((a) => (a.head ? lintPrompt({ prompt: a.head, ...(a.base ? { base: a.base } : {}), config: head.config }) : [])),
    ...head.lintOnly
      .filter((p) => touched.has(p.file) || (p.suiteFile !== undefined && touched.has(p.suiteFile)))
      .flatMap((prompt) => lintPrompt({ prompt, config: head.config, ...baseVersion(base, prompt) })),
  ]);

  const plans = affected.map((a) => planBaseline(ctx, a, opts.baseline ?? 'auto', baseSrc));
  await prepare(
    ctx,
    plans.flatMap((plan) => evaluationsOf(ctx, plan, baseSrc)),
  );
  const prompts = await Promise.all(plans.map((plan) => evaluatePlan(ctx, plan, baseSrc)));
  return { prompts, lint, judgeModels: judgeModels(affected.flatMap((a) => (a.head ? [a.head] : []))) };
}

function planBaseline(ctx: Context, affected: AffectedPrompt, policy: BaselinePolicy, baseSrc: FileSource): Plan {
  const { base, head: prompt } = affected;
  if (!base || !prompt) return { affected, baseline: { source: 'none' } };
  if (policy === 'rerun') return { affected, baseline: { source: 'rerun' } };
  const stored = storedBaseline(ctx, baseSrc, base, prompt);
  if (stored.state === 'fresh') return { affected, baseline: { source: 'stored', file: stored.file } };
  if (policy !== 'stored') return { affected, baseline: { source: 'rerun' } };
  const fix = 'run mode baseline (promptgate baseline) on the base branch and commit the result, or use baseline: auto';
  const why =
    stored.state === 'stale'
      ? `The stored baseline ${stored.path} is stale: it was made for another version of the prompt or suite`
      : stored.state === 'missing'
        ? `There is no stored baseline ${stored.path} at the base commit`
        : stored.message;
  return { affected, baseline: { source: 'error', message: `${why}. To fix it, ${fix}.` } };
}

/** The evaluations a plan makes: the head version, and the base version when it is rerun. */
function evaluationsOf(ctx: Context, { affected, baseline }: Plan, baseSrc: FileSource): PlannedEvaluation[] {
  const { head: prompt, base } = affected;
  if (!prompt || baseline.source === 'error') return [];
  return [
    { version: prompt, src: ctx.headSrc, suiteOf: prompt },
    ...(baseline.source === 'rerun' && base ? [{ version: base, src: baseSrc, suiteOf: prompt }] : []),
  ];
}

async function evaluatePlan(ctx: Context, plan: Plan, baseSrc: FileSource): Promise<UnjudgedPromptReport> {
  const { affected, baseline } = plan;
  const prompt = affected.head;
  if (!prompt) return removedPromptReport(affected);
  const gateDefaults = ctx.head.config.gate;
  if (baseline.source === 'error') return buildPromptReport({ affected, prompt, gateDefaults, error: baseline.message });
  try {
    const base = affected.base;
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
