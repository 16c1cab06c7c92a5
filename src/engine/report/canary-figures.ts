// A canary metric's figures as plain text (unescaped), for the check's markdown and the
// dashboard: shares as percentages, latency quantiles in ms, the bound on the tested side.
import type { MetricResult } from '../canary/types.js';
import { pct, pp } from './format.js';

export interface MetricFigures {
  /** "task_completed (lower is worse, max drop 0.02)". */
  metric: string;
  control: string;
  canary: string;
  difference: string;
  /** "≥ +1.2 pp" / "≤ −0.4", or why the metric was not tested. */
  bound: string;
}

export function metricFigures(m: MetricResult): MetricFigures {
  const share = m.test === 'mean' && isShare(m);
  const value = (x: number | null) =>
    x === null ? '—' : share ? pct(x) : m.test === 'exceedance' ? `${Math.round(x)} ms` : x.toPrecision(3);
  const diff = (x: number | null) => (x === null ? '—' : share || m.test === 'exceedance' ? pp(x) : signed(x.toPrecision(3)));
  const bound = m.interval === null ? (m.note ?? '—') : m.interval[0] !== null ? `≥ ${diff(m.interval[0])}` : `≤ ${diff(m.interval[1])}`;
  const worse = m.direction === 'higher' ? 'lower' : 'higher';
  return {
    metric: `${m.name} (${worse} is worse${m.max_drop ? `, max drop ${m.max_drop}` : ''})`,
    control: value(m.control),
    canary: value(m.canary),
    difference: diff(m.difference),
    bound,
  };
}

function isShare(m: MetricResult): boolean {
  return m.name === 'error_rate' || [m.control, m.canary].every((x) => x === null || (x >= 0 && x <= 1));
}

function signed(text: string): string {
  return text.startsWith('-') ? `−${text.slice(1)}` : `+${text}`;
}
