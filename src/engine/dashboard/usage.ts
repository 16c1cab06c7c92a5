// Events -> per prompt, per version, per UTC day: calls, errors, latency quantiles, tokens, cost
// and every metric's mean. Streaming, in constant memory per (prompt, version, day): latencies
// go into the canary's log-bucketed histogram, everything else into sums. Feedback is joined
// to its call by call_id as the canary check joins it (SPEC 13): a second pass, with only the
// latest feedback per call id kept in between (FeedbackStore, about 50 bytes each). A call
// delivered more than once (a retried sink, two exporters) counts once, as in the canary check:
// the ids of the calls counted are kept (11 to 21 bytes each, see IdTable).
import type { CallEvent, CanaryEvent } from '../canary/events.js';
import { FeedbackStore } from '../canary/feedback-store.js';
import { CallIdSet } from '../canary/id-table.js';
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
  private readonly feedback = new FeedbackStore();
  private readonly counted = new CallIdSet();
  /** Feedback joined to its call; and left out: no call with its call_id in the events, or the call errored. */
  readonly feedbackCounts = { joined: 0, unmatched: 0 };
  /** Deliveries of a call already counted. */
  duplicateCalls = 0;

  constructor(private readonly costOf: CostOf) {}

  /** Feedback waits for its call: the events must be read a second time through `join`. */
  get pendingFeedback(): number {
    return this.feedback.size;
  }

  /** Pass 1: a call counts once, on its version and the day it ended; feedback is kept (latest per call id). */
  add(event: CanaryEvent): void {
    if (event.type === 'feedback') {
      this.feedback.keep(event.callId, event.ts, event.metrics);
      return;
    }
    if (event.callId !== null && !this.counted.add(event.callId)) {
      this.duplicateCalls++;
      return;
    }
    const day = this.dayOf(event);
    day.calls++;
    if (event.latencyMs !== null) day.latency.add(event.latencyMs);
    const input = event.inputTokens ?? 0;
    const output = event.outputTokens ?? 0;
    day.inputTokens += input;
    day.outputTokens += output;
    day.costUsd += this.costOf(event.prompt, event.version, input, output);
    // SPEC 13: an errored call carries no other metric.
    if (event.error) {
      day.errors++;
      return;
    }
    for (const [name, value] of Object.entries(event.metrics)) {
      const m = metricSums(day, name);
      m.sum += value;
      m.n++;
    }
  }

  /**
   * Pass 2: a call's latest feedback counts on the call's version and day, replacing a value
   * the call recorded for the same metric. Taken at the call's first delivery, so a duplicate
   * delivery gets none.
   */
  join(event: CanaryEvent): void {
    if (event.type !== 'call' || event.callId === null || this.feedback.size === 0) return;
    const kept = this.feedback.take(event.callId);
    if (kept === undefined) return;
    if (event.error) {
      this.feedbackCounts.unmatched++;
      return;
    }
    this.feedbackCounts.joined++;
    const day = this.dayOf(event);
    for (const [name, value] of Object.entries(kept)) {
      const m = metricSums(day, name);
      const recorded = event.metrics[name];
      if (recorded === undefined) m.n++;
      else m.sum -= recorded;
      m.sum += value;
    }
  }

  /** The days of every (prompt, version) seen, oldest first. Feedback still waiting had no call. */
  result(): UsageByVersion {
    this.feedbackCounts.unmatched += this.feedback.size;
    this.feedback.clear();
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

  private dayOf({ prompt, version, ts }: CallEvent): DayTotals {
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

function metricSums(day: DayTotals, name: string): { sum: number; n: number } {
  let m = day.metrics.get(name);
  if (!m) day.metrics.set(name, (m = { sum: 0, n: 0 }));
  return m;
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
