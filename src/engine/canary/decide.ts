// The decision for one rollout (SPEC 13): SRM first, then each guarded metric's confidence
// sequence, then the step's duration and sample counts. The one place a canary is decided.
import type { ArmTotals, RolloutAggregate } from './aggregate.js';
import { formatDuration } from './duration.js';
import { bucketOf, latencyQuantileOf, upperEdge } from './quantile.js';
import { differenceBound, emptyMoments, mean, srmPValue, type Moments } from './sequential.js';
import type { CanarySettings, GuardedMetric, MetricResult, PromptCanaryReport, SeriesPoint } from './types.js';

/** Below this p-value the arms' call counts do not match the weight: routing is broken. */
export const SRM_THRESHOLD = 0.001;
/** A metric is tested once each arm has this many values: the sequence is asymptotic. */
export const MIN_METRIC_VALUES = 30;

const BUILT_IN: Record<string, GuardedMetric> = {
  error_rate: { direction: 'lower', max_drop: 0 },
};
const DEFAULT_EVENT_METRIC: GuardedMetric = { direction: 'higher', max_drop: 0 };
const LOWER_IS_BETTER = new Set(['latency_ms', 'input_tokens', 'output_tokens']);

/** The guarded metrics: the manifest's, or error_rate plus every metric the events carry. */
export function guardedMetrics(settings: CanarySettings, aggregate: RolloutAggregate): Record<string, GuardedMetric> {
  if (settings.metrics) return settings.metrics;
  const metrics: Record<string, GuardedMetric> = { ...BUILT_IN };
  for (const name of [...aggregate.metricNames].sort()) metrics[name] = DEFAULT_EVENT_METRIC;
  return metrics;
}

export function decide(settings: CanarySettings, aggregate: RolloutAggregate, now: number): PromptCanaryReport {
  const { control, canary } = aggregate.arms;
  const weight = settings.steps[settings.step]!;
  const guarded = guardedMetrics(settings, aggregate);
  const runningSteps = Math.max(1, settings.steps.filter((s) => s < 100).length);
  const alphaPerTest = settings.alpha / (runningSteps * Math.max(1, Object.keys(guarded).length));
  const metrics = Object.entries(guarded).map(([name, rule]) => compareMetric(name, rule, control, canary, alphaPerTest, aggregate));
  const srmP = srmPValue(control.calls, canary.calls, weight / 100);
  const base = {
    prompt: settings.prompt,
    step: settings.step,
    weight,
    started_at: new Date(settings.startedAt).toISOString(),
    arms: {
      control: { calls: control.calls, version: settings.controlVersion },
      canary: { calls: canary.calls, version: settings.version },
    },
    srm_p: srmP,
    srm_alarm: srmP < SRM_THRESHOLD,
    alpha_per_test: alphaPerTest,
    metrics,
    ignored: aggregate.ignored,
    series: chartSeries(aggregate, Object.keys(guarded)),
  };
  if (base.srm_alarm) {
    const expected = Math.round(((control.calls + canary.calls) * weight) / 100);
    return {
      ...base,
      decision: 'hold',
      reason:
        `Sample-ratio mismatch (p = ${srmP.toExponential(2)} < ${SRM_THRESHOLD}): the canary got ${canary.calls} of ${control.calls + canary.calls} calls where ${weight}% is about ${expected}. ` +
        'Routing or logging is broken (stale manifest in some instances, a different bucketing key, events lost for one arm), so no verdict on quality is trusted. Fix it, then start the step again.',
    };
  }
  const regressed = metrics.filter((m) => m.regressed);
  if (regressed.length > 0) {
    return { ...base, decision: 'rollback', reason: `The canary regressed ${regressed.map(describeRegression).join('; ')}.` };
  }
  const next = settings.steps[settings.step + 1];
  if (weight >= 100 || next === undefined) {
    return {
      ...base,
      decision: 'promote',
      next_weight: 100,
      reason: `The current step routes ${weight}%: nothing left to compare, so the version is promoted.`,
    };
  }
  const elapsed = now - settings.startedAt;
  const waiting: string[] = [];
  if (elapsed < settings.minDurationMs)
    waiting.push(`the step has run ${formatDuration(elapsed)} of ${formatDuration(settings.minDurationMs)}`);
  for (const [arm, totals] of [
    ['control', control],
    ['canary', canary],
  ] as const) {
    if (totals.calls < settings.minSamples) waiting.push(`${arm} has ${totals.calls} of ${settings.minSamples} calls`);
  }
  for (const m of metrics) if (m.note) waiting.push(`${m.name}: ${m.note}`);
  if (waiting.length > 0) return { ...base, decision: 'hold', reason: `No regression so far; waiting: ${waiting.join('; ')}.` };
  const enough = `no regression after ${formatDuration(elapsed)} with ${control.calls} control and ${canary.calls} canary calls`;
  if (next >= 100)
    return {
      ...base,
      decision: 'promote',
      next_weight: 100,
      reason: `${capitalise(enough)}; the next step is 100%, so ${settings.version} becomes production.`,
    };
  return { ...base, decision: 'advance', next_weight: next, reason: `${capitalise(enough)}; advancing from ${weight}% to ${next}%.` };
}

function compareMetric(
  name: string,
  rule: GuardedMetric,
  control: ArmTotals,
  canary: ArmTotals,
  alpha: number,
  aggregate: RolloutAggregate,
): MetricResult {
  const quantile = latencyQuantileOf(name);
  if (quantile !== null) return compareQuantile(name, quantile, rule, control, canary, alpha);
  const [c, k] = [momentsOf(name, control), momentsOf(name, canary)];
  const result: MetricResult = {
    name,
    ...rule,
    test: 'mean',
    control: mean(c),
    canary: mean(k),
    n: { control: c.n, canary: k.n },
    difference: null,
    interval: null,
    regressed: false,
  };
  if (c.n === 0 && k.n === 0 && !isBuiltIn(name)) {
    const seen = [...aggregate.metricNames].sort();
    return {
      ...result,
      note: `no call of either arm carries this metric; check its name (the events carry ${seen.length ? seen.join(', ') : 'no metrics'})`,
    };
  }
  if (c.n < MIN_METRIC_VALUES || k.n < MIN_METRIC_VALUES)
    return { ...result, note: `${Math.min(c.n, k.n)} of the ${MIN_METRIC_VALUES} values per arm it needs to be tested` };
  // Worse is lower for `higher` metrics: bound the difference from above, and vice versa.
  const side = rule.direction === 'higher' ? 'upper' : 'lower';
  const { difference, bound } = differenceBound(c, k, alpha, side);
  const regressed = rule.direction === 'higher' ? bound < -rule.max_drop : bound > rule.max_drop;
  return { ...result, difference, interval: side === 'upper' ? [null, bound] : [bound, null], regressed };
}

/**
 * A latency quantile q: with t = control's q-quantile, a call is in the "bad tail" when its
 * latency is beyond t + max_drop (canary) or beyond t (control), in the direction that is
 * worse. Both tail shares are means of 0/1 values, compared with the same sequence as any
 * mean; canary q-quantile > control's + max_drop exactly when the canary's share beyond
 * t + max_drop exceeds control's share beyond t (1 - q). See the README.
 */
function compareQuantile(name: string, q: number, rule: GuardedMetric, control: ArmTotals, canary: ArmTotals, alpha: number): MetricResult {
  const controlBucket = control.latency.quantileBucket(q);
  const canaryBucket = canary.latency.quantileBucket(q);
  const result: MetricResult = {
    name,
    ...rule,
    test: 'exceedance',
    control: controlBucket === null ? null : upperEdge(controlBucket),
    canary: canaryBucket === null ? null : upperEdge(canaryBucket),
    n: { control: control.latency.total, canary: canary.latency.total },
    difference: null,
    interval: null,
    regressed: false,
  };
  if (controlBucket === null || control.latency.total < MIN_METRIC_VALUES || canary.latency.total < MIN_METRIC_VALUES) {
    return {
      ...result,
      note: `${Math.min(control.latency.total, canary.latency.total)} of the ${MIN_METRIC_VALUES} latencies per arm it needs to be tested`,
    };
  }
  const threshold = upperEdge(controlBucket);
  const higher = rule.direction === 'higher';
  const canaryBucketLimit = rule.max_drop === 0 ? controlBucket : bucketOf(higher ? threshold - rule.max_drop : threshold + rule.max_drop);
  const tail = (totals: ArmTotals, bucket: number): Moments => {
    const k = higher ? totals.latency.countBelow(bucket) : totals.latency.countAbove(bucket);
    return { n: totals.latency.total, sum: k, sumSquares: k };
  };
  const { difference, bound } = differenceBound(tail(control, controlBucket), tail(canary, canaryBucketLimit), alpha, 'lower');
  return { ...result, difference, interval: [bound, null], regressed: bound > 0 };
}

function momentsOf(name: string, totals: ArmTotals): Moments {
  switch (name) {
    case 'error_rate':
      return { n: totals.calls, sum: totals.errors, sumSquares: totals.errors };
    case 'latency_ms':
      return totals.latencyMoments;
    case 'input_tokens':
      return totals.inputTokens;
    case 'output_tokens':
      return totals.outputTokens;
    default:
      return totals.metrics.get(name) ?? emptyMoments();
  }
}

function isBuiltIn(name: string): boolean {
  return name === 'error_rate' || LOWER_IS_BETTER.has(name);
}

function describeRegression(m: MetricResult): string {
  const worse = m.direction === 'higher' ? 'lower' : 'higher';
  const by = m.max_drop > 0 ? ` by more than ${m.max_drop}` : '';
  const values = `${formatValue(m.control)} -> ${formatValue(m.canary)}`;
  return `on ${m.name} (${values}: ${worse}${by} with always-valid confidence)`;
}

export function formatValue(value: number | null): string {
  if (value === null) return 'n/a';
  return Math.abs(value) >= 100 ? value.toFixed(0) : Number(value.toPrecision(3)).toString();
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Each chart point's per-arm value of every guarded metric (quantiles from that point's calls). */
function chartSeries(aggregate: RolloutAggregate, names: string[]): SeriesPoint[] {
  const { start, bucketMs } = aggregate.window;
  const valueOf = (name: string, totals: ArmTotals): number | null => {
    const q = latencyQuantileOf(name);
    if (q !== null) {
      const bucket = totals.latency.quantileBucket(q);
      return bucket === null ? null : upperEdge(bucket);
    }
    return mean(momentsOf(name, totals));
  };
  const arm = (totals: ArmTotals): Record<string, number | null> => Object.fromEntries(names.map((n) => [n, valueOf(n, totals)]));
  return [...aggregate.series.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, point]) => ({
      at: new Date(start + index * bucketMs).toISOString(),
      control: arm(point.control),
      canary: arm(point.canary),
    }));
}
