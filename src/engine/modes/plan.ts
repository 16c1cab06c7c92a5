// The decisions every evaluating mode shares, each made here once: whether a stored baseline
// still describes a prompt version, which providers (prompt models and judges) a run needs,
// and what it will spend before it spends it.
import { baselinePath, readBaseline } from '../files/baseline.js';
import { plannedRequests } from '../evaluate/evaluate.js';
import { BudgetExceededError } from '../models/runner.js';
import { count, plural, usd } from '../report/format.js';
import type { FileSource } from '../git/source.js';
import type { BaselineFile, Prompt } from '../types.js';
import { casesOf, failure, type Context } from './context.js';

/** One evaluation a run will make: `version` as `src` holds it, on the suite of `suiteOf` (the head's). */
export interface PlannedEvaluation {
  version: Prompt;
  src: FileSource;
  suiteOf: Prompt;
}

export type StoredBaselineState =
  | { state: 'fresh'; path: string; file: BaselineFile }
  | { state: 'stale'; path: string }
  | { state: 'missing'; path: string }
  | { state: 'invalid'; path: string; message: string };

/**
 * The stored baseline of `version` as `src` holds it: fresh when it was made for this very
 * prompt artifact and for the suite of `suiteOf`.
 */
export function storedBaseline(ctx: Context, src: FileSource, version: Prompt, suiteOf: Prompt): StoredBaselineState {
  const dir = ctx.head.config.baselines;
  const path = baselinePath(dir, version.name);
  const stored = readBaseline(src, dir, version.name);
  if ('missing' in stored) return { state: 'missing', path };
  if ('problem' in stored) return { state: 'invalid', path, message: stored.problem.message };
  const fresh = stored.baseline.prompt_hash === version.artifact.hash && stored.baseline.suite_hash === suiteOf.artifact.suiteHash;
  return fresh ? { state: 'fresh', path, file: stored.baseline } : { state: 'stale', path };
}

/** Providers the evaluations call: each version's model and every judge of its suite. */
export function providersNeeded(evaluations: PlannedEvaluation[]): Set<string> {
  const providers = new Set<string>();
  for (const { version, suiteOf } of evaluations) {
    providers.add(version.model.provider);
    for (const m of suiteOf.suite.metrics) if (m.model) providers.add(m.model.provider);
  }
  return providers;
}

/**
 * Before any model call: refuses a run whose providers lack keys, then, when a budget is
 * set, says what it will spend (rendering every request and looking each up in the cache
 * costs start-up time a run without a budget does not need). A run whose calls alone exceed
 * `budget.max_calls` makes none: the budget error is the run's, and each prompt's. A merge
 * calls no model: it needs neither keys nor an estimate.
 */
export async function prepare(ctx: Context, evaluations: PlannedEvaluation[]): Promise<void> {
  if (ctx.opts.merge) return;
  ctx.runner.assertReady(providersNeeded(evaluations));
  // The progress total is known before the first call, so a progress bar never jumps.
  ctx.progress.total = evaluations.reduce((sum, { suiteOf }) => sum + casesOf(ctx, suiteOf).length * suiteOf.suite.repeat, 0);
  if (ctx.progress.total) ctx.opts.onProgress?.(ctx.progress.done, ctx.progress.total);
  if (!ctx.runner.hasBudget) return;
  // Rendered as the estimate consumes them, never all at once.
  const requests = (function* () {
    for (const { version, src, suiteOf } of evaluations) yield* plannedRequests(version, src, suiteOf.suite, casesOf(ctx, suiteOf));
  })();
  try {
    const e = await ctx.runner.estimate(requests);
    if (e.calls + e.cached === 0) return;
    const bound = e.observed
      ? 'each answer as long as the longest cached answer of its model, or max_tokens'
      : 'each answer as long as max_tokens allows';
    ctx.opts.log?.(
      `Estimate: ${plural(e.calls, 'model call')} (plus judge calls, if any), ${count(e.cached)} answered by the cache; ` +
        `at most ${count(e.inputTokens + e.outputTokens)} tokens and ${usd(e.costUsd)} (an upper bound: ${bound}).`,
    );
  } catch (err) {
    if (!(err instanceof BudgetExceededError)) throw err;
    // The runner now refuses network calls: prompts finish from the cache or report the budget.
    failure(ctx, err);
    ctx.opts.log?.((err as Error).message);
  }
}
