import { isTemplate } from '../files/fields.js';
import type { Case, Metric } from '../types.js';
import type { ScorerDeps } from './index.js';

/** Where a metric is declared, for messages. */
export function describeMetric(metric: Metric): string {
  return `metric "${metric.name}" (${metric.type})`;
}

export interface MetricValue {
  /** The value when it has no template syntax, so callers can precompile it once. */
  static?: string;
  forCase: (c: Case) => string;
}

/**
 * The metric's value for a case. Values without template syntax skip rendering entirely,
 * so the common static case costs nothing per sample.
 */
export function metricValue(metric: Metric, deps: Pick<ScorerDeps, 'renderValue'>): MetricValue {
  const text = String(metric.value);
  if (!isTemplate(text)) return { static: text, forCase: () => text };
  return { forCase: (c) => deps.renderValue(text, c, metric) };
}

export function bool(pass: boolean): number {
  return pass ? 1 : 0;
}
