// Mode lint: every prompt's findings, with the version rules when a base commit is given; no model call.
import { dedupeFindings, lintPrompt } from '../lint/index.js';
import type { GitTree } from '../git/source.js';
import type { Project } from '../types.js';
import { baseVersion, loadBase, only, type Context, type Outcome } from './context.js';
import { planPromotions } from './promotion.js';

export async function runLint(ctx: Context): Promise<Outcome> {
  const { head, opts } = ctx;
  let base: Project | undefined;
  let baseSrc: GitTree | undefined;
  if (opts.base) {
    ({ src: baseSrc, project: base } = await loadBase(ctx, opts.base.sha));
  }
  const targets = only([...head.prompts, ...head.lintOnly], opts.prompts);
  const lint = dedupeFindings([
    ...head.findings,
    ...targets.flatMap((prompt) => lintPrompt({ prompt, config: head.config, ...(base ? baseVersion(base, prompt) : {}) })),
  ]);
  // Mode lint calls no model: a promotion it sees is release-unevaluated (SPEC 10.3).
  const release = planPromotions(ctx, { project: head, src: ctx.headSrc }, base && baseSrc && { project: base, src: baseSrc }, {
    canEvaluate: false,
  });
  return { prompts: [], lint: dedupeFindings([...lint, ...release.findings]) };
}
