// Events -> per prompt, per version, per UTC day: calls, errors, latency quantiles, tokens, cost
// and every metric's mean. One streaming pass in constant memory per (prompt, version, day):
// latencies go into the canary's log-bucketed histogram, everything else into sums.
import type { CanaryEvent } from '../canary/events.js';
import { Histogram, upperEdge } from '../canary/quantile.js';

const DAY_MS = 86_400_000;

export interface DayUsage {
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  calls: number;
  errors: number;
  latency_p50_ms: number | null;
  latency_p95_ms: number | null;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  /** Metric name -> mean over the calls (and feedback) that carry it, and how many did. */
  metrics: Record<string, { mean: number; n: number }>;
}

/** Prompt -> version -> its days, oldest first. */
export type UsageByVersion = Map<string, Map<string, DayUsage[]>>;

interface DayTotals {
  calls: number;
  errors: number;
  latency: Histogram;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  metrics: Map<string, { sum: number; n: number }>;
}

/** What a call's tokens cost: the caller knows each version's model and the prices. */
export type CostOf = (prompt: string, version: string, inputTokens: number, outputTokens: number) => number;

export class UsageAggregate {
  /** `prompt \0 version` -> day number -> totals. */
  private readonly totals = new Map<string, Map<number, DayTotals>>();
  events = 0;

  constructor(private readonly costOf: CostOf) {}

  add(event: CanaryEvent): void {
    this.events++;
    const day = this.dayOf(event.prompt, event.version, event.ts);
    // Feedback counts toward its version's metrics on the day it arrived; a call is counted when it ended.
    if (event.type === 'call') {
      day.calls++;
      if (event.error) day.errors++;
      if (event.latencyMs !== null) day.latency.add(event.latencyMs);
      const input = event.inputTokens ?? 0;
      const output = event.outputTokens ?? 0;
      day.inputTokens += input;
      day.outputTokens += output;
      day.costUsd += this.costOf(event.prompt, event.version, input, output);
      // SPEC 13: an errored call carries no other metric.
      if (event.error) return;
    }
    for (const [name, value] of Object.entries(event.metrics)) {
      if (!Number.isFinite(value)) continue;
      const m = day.metrics.get(name) ?? { sum: 0, n: 0 };
      m.sum += value;
      m.n++;
      day.metrics.set(name, m);
    }
  }

  /** The days of every (prompt, version) seen, oldest first. */
  result(): UsageByVersion {
    const byPrompt: UsageByVersion = new Map();
    for (const [key, days] of this.totals) {
      const [prompt, version] = key.split('\0') as [string, string];
      let versions = byPrompt.get(prompt);
      if (!versions) byPrompt.set(prompt, (versions = new Map()));
      versions.set(
        version,
        [...days].sort(([a], [b]) => a - b).map(([day, t]) => dayUsage(day, t)),
      );
    }
    return byPrompt;
  }

  private dayOf(prompt: string, version: string, ts: number): DayTotals {
    const key = `${prompt}\0${version}`;
    let days = this.totals.get(key);
    if (!days) this.totals.set(key, (days = new Map()));
    const day = Math.floor(ts / DAY_MS);
    let totals = days.get(day);
    if (!totals) {
      totals = { calls: 0, errors: 0, latency: new Histogram(), inputTokens: 0, outputTokens: 0, costUsd: 0, metrics: new Map() };
      days.set(day, totals);
    }
    return totals;
  }
}

function dayUsage(day: number, t: DayTotals): DayUsage {
  const quantile = (q: number) => {
    const bucket = t.latency.quantileBucket(q);
    return bucket === null ? null : Math.round(upperEdge(bucket));
  };
  return {
    day: new Date(day * DAY_MS).toISOString().slice(0, 10),
    calls: t.calls,
    errors: t.errors,
    latency_p50_ms: quantile(0.5),
    latency_p95_ms: quantile(0.95),
    input_tokens: t.inputTokens,
    output_tokens: t.outputTokens,
    cost_usd: t.costUsd,
    metrics: Object.fromEntries(
      [...t.metrics].sort(([a], [b]) => a.localeCompare(b)).map(([name, m]) => [name, { mean: m.sum / m.n, n: m.n }]),
    ),
  };
}
