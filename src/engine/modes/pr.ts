// Mode pr: the prompts a change affects, evaluated at head against their base versions.
import { UserError } from '../errors.js';
import { changeSince } from '../git/commands.js';
import { affectedPrompts, type AffectedPrompt } from '../git/graph.js';
import { dedupeFindings, lintPrompt } from '../lint/index.js';
import type { FileSource } from '../git/source.js';
import {
  buildPromptReport,
  removedPromptReport,
  rerunSide,
  storedSide,
  type BaselineSide,
  type UnjudgedPromptReport,
} from '../gate/prompt-report.js';
import type { BaselineFile, Prompt } from '../types.js';
import {
  baseVersion,
  evaluateTracked,
  failure,
  judgeModels,
  loadBase,
  only,
  type BaselinePolicy,
  type Context,
  type Outcome,
} from './context.js';
import { prepare, storedBaseline, type PlannedEvaluation } from './plan.js';
import { evaluatePromotion, planPromotions } from './promotion.js';

interface Plan {
  affected: AffectedPrompt;
  baseline: { source: 'stored'; file: BaselineFile } | { source: 'rerun' } | { source: 'none' } | { source: 'error'; message: string };
}

export async function runPr(ctx: Context): Promise<Outcome> {
  const { opts, head } = ctx;
  if (!opts.base && !opts.all)
    throw new UserError(
      'Mode pr needs a base commit to compare with: the pull request base, or the commit to compare the working tree with.',
    );
  // With `all` and no commit to compare with (a repository before its first commit), every prompt is evaluated on its own.
  const baseSha = opts.base?.sha;
  // git works out the change while the base commit is fetched (when missing) and its project loads.
  const changes = opts.changedFiles ? Promise.resolve(opts.changedFiles) : baseSha ? changeSince(opts.root, baseSha) : Promise.resolve([]);
  changes.catch(() => undefined); // awaited below; a load error first must not leave it unhandled
  if (!opts.merge) ctx.runner.warmUp(head.prompts.map((p) => p.model.provider));
  const { src: baseSrc, project: base } = baseSha
    ? await loadBase(ctx, baseSha)
    : { src: ctx.headSrc, project: { ...head, prompts: [], lintOnly: [] } };
  const changed = await changes;
  const affected = only(affectedPrompts(head, base, changed), opts.prompts);
  // `all`, or prompts named on the command line: the change does not have to touch them to be evaluated.
  const unchanged =
    opts.all || opts.prompts?.length ? only(head.prompts, opts.prompts).filter((p) => !affected.some((a) => a.name === p.name)) : [];
  const touched = new Set(changed.flatMap((f) => (f.previous ? [f.path, f.previous] : [f.path])));
  for (const a of affected) touched.add(a.file);
  for (const p of unchanged) touched.add(p.file);
  const lint = dedupeFindings([
    ...head.findings.filter((f) => touched.has(f.file)),
    ...affected.flatMap((a) => (a.head ? lintPrompt({ prompt: a.head, ...(a.base ? { base: a.base } : {}), config: head.config }) : [])),
    ...head.lintOnly
      .filter((p) => touched.has(p.file) || (p.suiteFile !== undefined && touched.has(p.suiteFile)))
      .flatMap((prompt) => lintPrompt({ prompt, config: head.config, ...baseVersion(base, prompt) })),
  ]);

  const release = planPromotions(ctx, { project: head, src: ctx.headSrc }, { project: base, src: baseSrc }, { touched, canEvaluate: true });
  const reviewed = [
    ...affected.map((a) => `${a.name} (${a.change})`),
    ...release.promotions.map((p) => `${p.suiteOf.name} (promotion)`),
    ...release.rollbacks.map((r) => `${r.name} (rollback)`),
  ];
  opts.log?.(
    reviewed.length
      ? `Affected prompts: ${reviewed.join(', ')}`
      : unchanged.length
        ? 'No prompt is affected by this change.'
        : 'No prompt is affected by this change: nothing to evaluate.',
  );
  const plans = [
    ...affected.map((a) => planBaseline(ctx, a, opts.baseline ?? 'auto', baseSrc)),
    ...unchanged.map((p) => planUnchanged(ctx, p, baseSrc)),
  ];
  await prepare(ctx, [...plans.flatMap((plan) => evaluationsOf(ctx, plan, baseSrc)), ...release.evaluations]);
  const prompts = await Promise.all([
    ...plans.map((plan) => evaluatePlan(ctx, plan, baseSrc)),
    ...release.promotions.map((promotion) => evaluatePromotion(ctx, promotion, release.manifestFile)),
  ]);
  const gated = [...affected.flatMap((a) => (a.head ? [a.head] : [])), ...unchanged, ...release.promotions.map((p) => p.suiteOf)];
  return {
    prompts: [...prompts, ...release.rollbacks],
    lint: dedupeFindings([...lint, ...release.findings]),
    judgeModels: judgeModels(gated),
  };
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

/** A prompt the change leaves alone: against its stored baseline when that is of this very version and suite, else on its own. */
function planUnchanged(ctx: Context, prompt: Prompt, baseSrc: FileSource): Plan {
  const affected: AffectedPrompt = { name: prompt.name, file: prompt.file, change: 'unchanged', head: prompt };
  const stored = storedBaseline(ctx, baseSrc, prompt, prompt);
  return { affected, baseline: stored.state === 'fresh' ? { source: 'stored', file: stored.file } : { source: 'none' } };
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
      evaluateTracked(ctx, prompt, ctx.headSrc, prompt, 'candidate'),
      baseline.source === 'rerun' && base ? evaluateTracked(ctx, base, baseSrc, prompt, 'baseline') : undefined,
    ]);
    const baseSide: BaselineSide | undefined =
      baseline.source === 'stored' ? storedSide(baseline.file) : rerun ? rerunSide(rerun, prompt) : undefined;
    return buildPromptReport({ affected, prompt, gateDefaults, candidate, ...(baseSide ? { baseline: baseSide } : {}) });
  } catch (err) {
    return buildPromptReport({ affected, prompt, gateDefaults, error: failure(ctx, err) });
  }
}
