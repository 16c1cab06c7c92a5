// The significance level a metric is gated at (SPEC 4): `alpha: auto` (the default) is 0.05
// for a nondeterministic prompt and none for a deterministic one; a number is used as given;
// null means none (any drop beyond max_drop fails).
import type { AlphaSource, GateRule } from '../types.js';

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
 * `top_p` below 1, or more than one repeat. (SPEC 4 also names repeats of a case that disagree
 * on a metric; a case has repeats only when `repeat` is above 1, which already decides.)
 */
export function isNondeterministic(params: Record<string, unknown>, repeat: number): boolean {
  const temperature = params['temperature'];
  const topP = params['top_p'];
  if (typeof temperature !== 'number' || temperature > 0) return true;
  if (typeof topP === 'number' && topP < 1) return true;
  return repeat > 1;
}
