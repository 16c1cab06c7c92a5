// The significance level a metric is gated at (SPEC 4): `alpha: auto` (the default) is 0.05
// for a nondeterministic prompt and none for a deterministic one; a number is used as given;
// null means none (any drop beyond max_drop fails).
import type { AlphaSource, GateRule, Sample } from '../types.js';

/** The level `alpha: auto` uses for a nondeterministic prompt. */
export const AUTO_ALPHA = 0.05;

export interface GatedAlpha {
  alpha: number | null;
  alpha_source: AlphaSource;
}

export function gatedAlpha(rule: GateRule['alpha'], nondeterministic: boolean): GatedAlpha {
  if (rule === undefined || rule === 'auto') {
    return nondeterministic
      ? { alpha: AUTO_ALPHA, alpha_source: 'auto-nondeterministic' }
      : { alpha: null, alpha_source: 'auto-deterministic' };
  }
  return { alpha: rule, alpha_source: 'config' };
}

/**
 * Whether a prompt samples: a temperature above 0 or unset (the providers default to 1),
 * `top_p` below 1, more than one repeat, or repeats of a case that disagree on a metric.
 */
export function isNondeterministic(params: Record<string, unknown>, repeat: number, sides: Iterable<Sample>[], metrics: string[]): boolean {
  const temperature = params['temperature'];
  const topP = params['top_p'];
  if (typeof temperature !== 'number' || temperature > 0) return true;
  if (typeof topP === 'number' && topP < 1) return true;
  // Each side (candidate, rerun baseline) on its own: a case that differs between them is what the gate measures.
  return repeat > 1 || sides.some((samples) => repeatsDisagree(samples, metrics));
}

function repeatsDisagree(samples: Iterable<Sample>, metrics: string[]): boolean {
  const first = new Map<string, Record<string, number>>();
  for (const s of samples) {
    const seen = first.get(s.caseId);
    if (!seen) first.set(s.caseId, s.scores);
    else if (metrics.some((m) => seen[m] !== s.scores[m])) return true;
  }
  return false;
}
