// Per-arm running sums of one rollout's events: everything a decision and its chart need, in
// memory that does not grow with the number of calls (see `RolloutAggregate` for the bound).
import type { Arm, CallEvent, CanaryEvent, FeedbackEvent } from './events.js';
import { FeedbackStore } from './feedback-store.js';
import { CallIdSet } from './id-table.js';
import { Histogram } from './quantile.js';
import { addValue, emptyMoments, type Moments } from './sequential.js';

export interface ArmTotals {
  calls: number;
  errors: number;
  /** Per metric over the calls that have it (errored calls have none; feedback included). */
  metrics: Map<string, Moments>;
  /** Latency of the calls that did not error. */
  latency: Histogram;
  latencyMoments: Moments;
  inputTokens: Moments;
  outputTokens: Moments;
}

const emptyArm = (): ArmTotals => ({
  calls: 0,
  errors: 0,
  metrics: new Map(),
  latency: new Histogram(),
  latencyMoments: emptyMoments(),
  inputTokens: emptyMoments(),
  outputTokens: emptyMoments(),
});

export interface RolloutWindow {
  prompt: string;
  controlVersion: string;
  canaryVersion: string;
  /** Epoch ms: the current step's `started_at`; earlier calls are not in the comparison. */
  start: number;
  /** Epoch ms of the check. */
  now: number;
  /** Width of a chart point in ms. */
  bucketMs: number;
}

/** Events newer than the check by more than this are clock-skewed and left out. */
export const CLOCK_SKEW_TOLERANCE_MS = 5 * 60_000;

export interface IgnoredCounts {
  /** Events of this prompt whose version is neither arm's (or not the version of the arm they name). */
  otherVersion: number;
  beforeStep: number;
  noArm: number;
  future: number;
  /** Feedback whose call was not found among the calls in the window (or errored). */
  unmatchedFeedback: number;
  /** Calls delivered again with a call_id already counted (a retried export, a file read twice). */
  duplicateCalls: number;
}

/**
 * One rollout's aggregate. Calls go straight into per-arm sums. Feedback has to wait for its
 * call (is the call in the window? did it error? which metrics did it already carry?), so
 * the check reads the files twice: pass 1 sums the calls and keeps only the latest feedback
 * per call id; pass 2 joins each call to its kept feedback and forgets it. Memory is then
 * O(calls that received feedback) (about 100 bytes each: see FeedbackStore) plus
 * constant-size sums per arm, metric and chart point, never O(all events). A call counts
 * once however often it was delivered: the ids of the calls counted are kept (11 to 21 bytes
 * each, see IdTable) so a duplicate can neither tip the arms' ratio into an SRM alarm nor
 * weigh twice in a metric.
 */
export class RolloutAggregate {
  readonly arms: Record<Arm, ArmTotals> = { control: emptyArm(), canary: emptyArm() };
  /** Chart points: per bucket index, per arm. */
  readonly series = new Map<number, Record<Arm, ArmTotals>>();
  readonly ignored: IgnoredCounts = { otherVersion: 0, beforeStep: 0, noArm: 0, future: 0, unmatchedFeedback: 0, duplicateCalls: 0 };
  readonly metricNames = new Set<string>();
  private readonly feedback = new FeedbackStore();
  private readonly counted = new CallIdSet();

  constructor(readonly window: RolloutWindow) {}

  get pendingFeedback(): number {
    return this.feedback.size;
  }

  /** Pass 1. */
  add(event: CanaryEvent): void {
    if (event.prompt !== this.window.prompt) return;
    // Feedback takes its arm, version and window from its call, which pass 2 finds.
    if (event.type === 'feedback') return this.keepFeedback(event);
    const arm = this.admit(event);
    if (arm === null) return;
    for (const name of Object.keys(event.metrics)) this.metricNames.add(name);
    if (event.ts < this.window.start) {
      this.ignored.beforeStep += 1;
      return;
    }
    if (event.callId !== null && !this.counted.add(event.callId)) {
      this.ignored.duplicateCalls += 1;
      return;
    }
    for (const totals of [this.arms[arm], this.bucket(event.ts)[arm]]) addCall(totals, event);
  }

  /**
   * Pass 2 (only needed when pass 1 kept feedback): joins a call to its latest feedback. The
   * first admitted delivery of a call is the one pass 1 counted; taking the feedback there
   * leaves none for a duplicate.
   */
  join(event: CanaryEvent): void {
    if (event.type !== 'call' || event.callId === null || this.feedback.size === 0) return;
    if (event.prompt !== this.window.prompt || !this.feedback.has(event.callId)) return;
    const arm = this.admit(event, false);
    if (arm === null || event.ts < this.window.start) return;
    const kept = this.feedback.take(event.callId)!;
    // An errored call carries no metric (SPEC 13): its feedback is left out.
    if (event.error) {
      this.ignored.unmatchedFeedback += 1;
      return;
    }
    for (const totals of [this.arms[arm], this.bucket(event.ts)[arm]]) {
      for (const [name, value] of Object.entries(kept)) {
        const moments = metricMoments(totals, name);
        // Feedback supersedes a value the call itself recorded for the same metric.
        const recorded = event.metrics[name];
        if (recorded !== undefined) removeValue(moments, recorded);
        addValue(moments, value);
      }
    }
  }

  /** After pass 2: feedback left over had no call in the window. */
  finish(): void {
    this.ignored.unmatchedFeedback += this.feedback.size;
    this.feedback.clear();
  }

  /** The arm an event of this rollout counts in, or null (and counted) when it does not. */
  private admit(event: CanaryEvent, count = true): Arm | null {
    const { controlVersion, canaryVersion, now } = this.window;
    const tally = (key: keyof IgnoredCounts): null => {
      if (count) this.ignored[key] += 1;
      return null;
    };
    if (event.version !== controlVersion && event.version !== canaryVersion) return tally('otherVersion');
    if (event.arm === null) return tally('noArm');
    if (event.version !== (event.arm === 'canary' ? canaryVersion : controlVersion)) return tally('otherVersion');
    if (event.ts > now + CLOCK_SKEW_TOLERANCE_MS) return tally('future');
    return event.arm;
  }

  private keepFeedback(event: FeedbackEvent): void {
    if (event.ts > this.window.now + CLOCK_SKEW_TOLERANCE_MS) {
      this.ignored.future += 1;
      return;
    }
    for (const name of Object.keys(event.metrics)) this.metricNames.add(name);
    this.feedback.keep(event.callId, event.ts, event.metrics);
  }

  private bucket(ts: number): Record<Arm, ArmTotals> {
    const index = Math.floor((ts - this.window.start) / this.window.bucketMs);
    let point = this.series.get(index);
    if (!point) this.series.set(index, (point = { control: emptyArm(), canary: emptyArm() }));
    return point;
  }
}

function addCall(totals: ArmTotals, call: CallEvent): void {
  totals.calls += 1;
  if (call.error) {
    totals.errors += 1;
    return;
  }
  for (const [name, value] of Object.entries(call.metrics)) addValue(metricMoments(totals, name), value);
  if (call.latencyMs !== null) {
    totals.latency.add(call.latencyMs);
    addValue(totals.latencyMoments, call.latencyMs);
  }
  if (call.inputTokens !== null) addValue(totals.inputTokens, call.inputTokens);
  if (call.outputTokens !== null) addValue(totals.outputTokens, call.outputTokens);
}

function metricMoments(totals: ArmTotals, name: string): Moments {
  let moments = totals.metrics.get(name);
  if (!moments) totals.metrics.set(name, (moments = emptyMoments()));
  return moments;
}

function removeValue(m: Moments, x: number): void {
  m.n -= 1;
  m.sum -= x;
  m.sumSquares -= x * x;
}
