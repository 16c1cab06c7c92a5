// The canary's settings (the manifest's `canary` entry, SPEC 10.1) and its report
// (`promptgate/canary@1`, SPEC 13).
import type { IgnoredCounts } from './aggregate.js';

export type Direction = 'higher' | 'lower';

export interface GuardedMetric {
  direction: Direction;
  max_drop: number;
}

/** One prompt's active canary, with defaults applied. */
export interface CanarySettings {
  prompt: string;
  /** labels.production: the control arm. */
  controlVersion: string;
  version: string;
  steps: number[];
  step: number;
  /** Epoch ms. */
  startedAt: number;
  salt: string;
  minSamples: number;
  minDurationMs: number;
  /** Undefined: error_rate plus every metric in the events (SPEC 10.1). */
  metrics: Record<string, GuardedMetric> | undefined;
  alpha: number;
}

export type Decision = 'rollback' | 'advance' | 'promote' | 'hold';

export interface MetricResult {
  name: string;
  direction: Direction;
  max_drop: number;
  /** `mean`: the per-call means are compared; `exceedance`: a latency quantile, compared
   * through the share of calls beyond control's quantile (see the README). */
  test: 'mean' | 'exceedance';
  /** The arm's mean (for a quantile: the quantile itself), null without data. */
  control: number | null;
  canary: number | null;
  n: { control: number; canary: number };
  /** canary - control of the tested quantity (for `exceedance`: of the tail shares). */
  difference: number | null;
  /** The always-valid one-sided interval of the difference; null marks the open side. */
  interval: [number | null, number | null] | null;
  regressed: boolean;
  /** Why the metric was not tested, when it was not. */
  note?: string;
}

export interface ArmReport {
  calls: number;
  version: string;
}

export interface PromptCanaryReport {
  prompt: string;
  decision: Decision;
  reason: string;
  step: number;
  weight: number;
  /** The weight the rollout moves to (advance), or 100 (promote). */
  next_weight?: number;
  started_at: string;
  arms: { control: ArmReport; canary: ArmReport };
  srm_p: number;
  srm_alarm: boolean;
  /** The alpha each metric's sequence was built at: the rollout's alpha shared among the
   * steps that run and the guarded metrics. */
  alpha_per_test: number;
  metrics: MetricResult[];
  ignored: IgnoredCounts;
  /** Chart points per metric: bucket start (ISO) and each arm's value. */
  series: SeriesPoint[];
}

export interface SeriesPoint {
  at: string;
  control: Record<string, number | null>;
  canary: Record<string, number | null>;
}

export interface EventsSummary {
  files: string[];
  lines: number;
  events: number;
  malformed: number;
  /** The first few malformed lines: `file:line: why`. */
  malformed_examples: string[];
}

export interface CanaryReport {
  schema: 'promptgate/canary@1';
  generated_at: string;
  result: 'pass' | 'fail';
  applied: boolean;
  events: EventsSummary;
  prompts: PromptCanaryReport[];
}
