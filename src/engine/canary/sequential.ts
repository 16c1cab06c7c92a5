// The statistics of a canary check (SPEC 13): the sample-ratio-mismatch test and a one-sided
// always-valid confidence sequence on the difference of two means.
import { erfc } from '../gate/stats.js';

/**
 * The sample size at which the confidence sequence is tightest (GrowthBook's
 * `sequentialTuningParameter`, whose default is also 5000). Any positive value keeps the
 * guarantee; it only moves where the sequence is narrowest: 5000 calls is a few hours of a
 * typical step.
 */
export const TUNING_SAMPLE_SIZE = 5000;

/**
 * The mixture parameter rho of the normal-mixture boundary, chosen so the boundary is about
 * narrowest at `TUNING_SAMPLE_SIZE`: GrowthBook's `sequentialRho` for one-sided tests (which
 * passes 2 * alpha to the two-sided rule of Waudby-Smith et al.).
 */
export function mixtureRho(alpha: number, tuning = TUNING_SAMPLE_SIZE): number {
  const a = 2 * alpha;
  return Math.sqrt((-2 * Math.log(a) + Math.log(-2 * Math.log(a) + 1)) / tuning);
}

/**
 * Half-width of the one-sided asymptotic confidence sequence (Waudby-Smith et al., "Time-uniform
 * central limit theory and asymptotic confidence sequences", 2023, with the one-sided normal
 * mixture boundary of Howard et al., "Time-uniform, nonparametric, nonasymptotic confidence
 * sequences", 2021): for `n` observations in all and an
 * estimated variance `s2` of one observation's contribution (n times the squared standard
 * error of the estimate),
 *   sqrt( s2 * 2 (n rho^2 + 1) / (n rho)^2 * log(1 + sqrt(n rho^2 + 1) / (2 alpha)) ).
 * This is GrowthBook's `sequentialIntervalHalfwidthOneSided`; the bound holds at every n at
 * once, so the check may look every hour for weeks at the same alpha.
 */
export function oneSidedHalfWidth(s2: number, n: number, alpha: number, rho = mixtureRho(alpha)): number {
  if (n <= 0) return Infinity;
  const nr2 = n * rho * rho;
  return Math.sqrt((s2 * 2 * (nr2 + 1) * Math.log(1 + Math.sqrt(nr2 + 1) / (2 * alpha))) / (n * rho) ** 2);
}

/** Running sums of one arm's values of one metric: enough for its mean and variance. */
export interface Moments {
  n: number;
  sum: number;
  sumSquares: number;
}

export const emptyMoments = (): Moments => ({ n: 0, sum: 0, sumSquares: 0 });

export function addValue(m: Moments, x: number): void {
  m.n += 1;
  m.sum += x;
  m.sumSquares += x * x;
}

export function mean(m: Moments): number | null {
  return m.n === 0 ? null : m.sum / m.n;
}

/** Sample variance (n - 1), clamped at 0 against rounding. */
export function variance(m: Moments): number {
  if (m.n < 2) return 0;
  return Math.max(0, (m.sumSquares - (m.sum * m.sum) / m.n) / (m.n - 1));
}

export interface DifferenceBound {
  /** canary mean - control mean. */
  difference: number;
  /** The one-sided bound: an upper bound when `side` is 'upper', else a lower bound. */
  bound: number;
  halfWidth: number;
}

/**
 * The always-valid one-sided bound on mean(canary) - mean(control), with the unequal-variance
 * standard error and n = both arms' counts together, as GrowthBook's sequential test has it.
 */
export function differenceBound(control: Moments, canary: Moments, alpha: number, side: 'upper' | 'lower'): DifferenceBound {
  const difference = canary.sum / canary.n - control.sum / control.n;
  const n = control.n + canary.n;
  const se2 = variance(control) / control.n + variance(canary) / canary.n;
  const halfWidth = oneSidedHalfWidth(se2 * n, n, alpha);
  return { difference, halfWidth, bound: side === 'upper' ? difference + halfWidth : difference - halfWidth };
}

/**
 * Sample-ratio mismatch: the chi-square test (1 degree of freedom) of the arms' call counts
 * against the share `canaryShare` the step routes to the canary. Returns the p-value.
 */
export function srmPValue(controlCalls: number, canaryCalls: number, canaryShare: number): number {
  const total = controlCalls + canaryCalls;
  if (total === 0 || canaryShare <= 0 || canaryShare >= 1) return 1;
  const expectedCanary = total * canaryShare;
  const expectedControl = total - expectedCanary;
  const chi2 = (canaryCalls - expectedCanary) ** 2 / expectedCanary + (controlCalls - expectedControl) ** 2 / expectedControl;
  // With one degree of freedom, P(X > chi2) = erfc(sqrt(chi2 / 2)).
  return erfc(Math.sqrt(chi2 / 2));
}
