// SPEC 4 as updated: `alpha: auto` gates a sampling prompt at 0.05 and a deterministic one at
// none; what a metric was gated at is in the report and in the markdown.
import { describe, expect, it } from 'vitest';
import { gatedAlpha, isNondeterministic } from '../src/engine/gate/alpha.js';
import { compareTables, scoreTable } from '../src/engine/gate/compare.js';
import { renderMarkdown } from '../src/engine/report/markdown.js';
import type { Sample } from '../src/engine/types.js';
import { laidOut } from './helpers/laid-out.js';
import { promptReport, regressedMetric, report } from './report-helpers.js';

function sample(caseId: string, n: number, acc: number): Sample {
  return { caseId, sample: n, output: '', latencyMs: 1, inputTokens: 1, outputTokens: 1, costUsd: 0, cached: false, scores: { acc } };
}
const ids = Array.from({ length: 20 }, (_, i) => `c${i}`);
const base = scoreTable(laidOut(ids.map((id) => sample(id, 0, 1))), ['acc']);
// Two of twenty cases flipped from pass to fail: a real drop on a deterministic model, noise on a sampling one.
const cand = scoreTable(laidOut(ids.map((id, i) => sample(id, 0, i < 2 ? 0 : 1))), ['acc']);

describe('alpha: auto', () => {
  it('is 0.05 for a nondeterministic prompt and none for a deterministic one; a number or null is used as given', () => {
    expect(gatedAlpha(undefined, true)).toEqual({ alpha: 0.05, alpha_source: 'auto-nondeterministic' });
    expect(gatedAlpha('auto', false)).toEqual({ alpha: null, alpha_source: 'auto-deterministic' });
    expect(gatedAlpha(null, true)).toEqual({ alpha: null, alpha_source: 'config' });
    expect(gatedAlpha(0.01, false)).toEqual({ alpha: 0.01, alpha_source: 'config' });
  });

  it('detects sampling from temperature (unset or above 0), top_p below 1 and repeat above 1', () => {
    expect(isNondeterministic({ temperature: 0 }, 1)).toBe(false);
    expect(isNondeterministic({}, 1)).toBe(true);
    expect(isNondeterministic({ temperature: 0.7 }, 1)).toBe(true);
    expect(isNondeterministic({ temperature: 0, top_p: 0.9 }, 1)).toBe(true);
    expect(isNondeterministic({ temperature: 0, top_p: 1 }, 1)).toBe(false);
    expect(isNondeterministic({ temperature: 0 }, 3)).toBe(true);
  });

  it('fails two flipped cases on a deterministic prompt, but not on a sampling one, and says which alpha it used', () => {
    const [deterministic] = compareTables(base, cand, ['acc'], () => ({ alpha: 'auto' }), 'p', { nondeterministic: false }).metrics;
    expect(deterministic).toMatchObject({ regressed: true, alpha: null, alpha_source: 'auto-deterministic' });
    const [sampling] = compareTables(base, cand, ['acc'], () => ({ alpha: 'auto' }), 'p', { nondeterministic: true }).metrics;
    expect(sampling).toMatchObject({ regressed: false, alpha: 0.05, alpha_source: 'auto-nondeterministic' });
    expect(sampling!.p_value).toBeGreaterThan(0.05);
  });

  it('the markdown states the alpha and notes low power for a sampling prompt run once per case', () => {
    const sampled = (samples_per_case: number) =>
      renderMarkdown(
        report({
          prompts: [
            promptReport({
              nondeterministic: true,
              samples_per_case,
              metrics: [regressedMetric({ regressed: false, alpha: 0.05, alpha_source: 'auto-nondeterministic' })],
            }),
          ],
        }),
      );
    expect(sampled(1)).toContain('Gate: α = 0.05 (auto: the prompt samples).');
    expect(sampled(1)).toContain('⚠️ Low power: this prompt samples and each case ran once');
    expect(sampled(1)).toContain('`repeat: 3`');
    expect(sampled(3)).not.toContain('Low power');
    expect(renderMarkdown(report({ prompts: [promptReport()] }))).toContain('Gate: any drop fails (auto: the prompt is deterministic).');
  });
});
