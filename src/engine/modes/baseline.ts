// Mode baseline: evaluates every prompt whose stored baseline is not current and writes it.
import { join } from 'node:path';
import { writeFileAtomic } from '../files/atomic-write.js';
import { toBaseline } from '../files/baseline.js';
import { scoreTable } from '../gate/compare.js';
import { buildPromptReport } from '../gate/prompt-report.js';
import type { AffectedPrompt } from '../git/graph.js';
import { evaluateTracked, failure, judgeModels, only, type Context, type Outcome } from './context.js';
import { prepare, storedBaseline } from './plan.js';

export async function runBaseline(ctx: Context): Promise<Outcome> {
  const { head, headSrc, opts } = ctx;
  const stored = only(head.prompts, opts.prompts).map((prompt) => ({ prompt, stored: storedBaseline(ctx, headSrc, prompt, prompt) }));
  const targets = stored.flatMap(({ prompt, stored }) => {
    const fresh = stored.state === 'fresh';
    if (fresh && !opts.all) opts.log?.(`${prompt.name}: stored baseline is current`);
    return opts.all || !fresh ? [prompt] : [];
  });
  await prepare(
    ctx,
    targets.map((prompt) => ({ version: prompt, src: headSrc, suiteOf: prompt })),
  );
  const written: string[] = [];
  const prompts = await Promise.all(
    targets.map(async (prompt) => {
      const affected: AffectedPrompt = { name: prompt.name, file: prompt.file, change: 'modified', head: prompt };
      try {
        const result = await evaluateTracked(ctx, prompt, headSrc, prompt, 'candidate');
        const report = buildPromptReport({ affected, prompt, gateDefaults: head.config.gate, candidate: result });
        // A shard holds part of the cases: only the merge writes the baseline.
        if (report.status !== 'error' && !opts.shard) {
          const { path } = stored.find((s) => s.prompt === prompt)!.stored;
          const table = scoreTable(
            result,
            prompt.suite.metrics.map((m) => m.name),
          );
          await writeFileAtomic(join(opts.root, path), `${JSON.stringify(toBaseline(result, table, prompt), null, 2)}\n`);
          written.push(path);
        }
        return report;
      } catch (err) {
        return buildPromptReport({ affected, prompt, gateDefaults: head.config.gate, error: failure(ctx, err) });
      }
    }),
  );
  return { prompts, lint: [], judgeModels: judgeModels(targets), baselinesWritten: written.sort() };
}
