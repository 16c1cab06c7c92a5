// Mode drift: re-evaluates every prompt live (no cache) against its stored baseline; a drop is provider drift.
import { buildPromptReport, storedSide } from '../gate/prompt-report.js';
import type { AffectedPrompt } from '../git/graph.js';
import { evaluateTracked, failure, judgeModels, only, type Context, type Outcome } from './context.js';
import { prepare, storedBaseline } from './plan.js';

export async function runDrift(ctx: Context): Promise<Outcome> {
  const { head, headSrc, opts } = ctx;
  const targets = only(head.prompts, opts.prompts).map((prompt) => ({ prompt, stored: storedBaseline(ctx, headSrc, prompt, prompt) }));
  await prepare(
    ctx,
    targets.filter((t) => t.stored.state === 'fresh').map(({ prompt }) => ({ version: prompt, src: headSrc, suiteOf: prompt })),
  );
  const prompts = await Promise.all(
    targets.map(async ({ prompt, stored }) => {
      const affected: AffectedPrompt = { name: prompt.name, file: prompt.file, change: 'modified', head: prompt, base: prompt };
      const gateDefaults = head.config.gate;
      if (stored.state !== 'fresh') {
        const error =
          stored.state === 'stale'
            ? `The stored baseline ${stored.path} is stale (the prompt or its suite changed since): run promptgate baseline to refresh it.`
            : `${stored.state === 'missing' ? `No stored baseline ${stored.path}` : stored.message}: run promptgate baseline (mode: baseline) on the production branch first.`;
        return buildPromptReport({ affected, prompt, gateDefaults, error });
      }
      try {
        const candidate = await evaluateTracked(ctx, prompt, headSrc, prompt, 'candidate');
        return buildPromptReport({ affected, prompt, gateDefaults, candidate, baseline: storedSide(stored.file) });
      } catch (err) {
        return buildPromptReport({ affected, prompt, gateDefaults, error: failure(ctx, err) });
      }
    }),
  );
  return { prompts, lint: [], judgeModels: judgeModels(targets.map((t) => t.prompt)) };
}
