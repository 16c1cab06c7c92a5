// `canary check` over settings and event files: read, aggregate per rollout, decide. Pure of
// the manifest (the caller loads it and applies the decisions) and of any outlet.
import { RolloutAggregate } from './aggregate.js';
import { decide } from './decide.js';
import type { CanaryEvent } from './events.js';
import { malformedProblem, readEvents } from './read.js';
import type { CanaryReport, CanarySettings, EventsSummary } from './types.js';

const HOUR_MS = 3_600_000;
/** A chart shows at most about this many points per arm. */
const CHART_POINTS = 24;

export interface CheckInput {
  rollouts: CanarySettings[];
  /** Absolute paths of the event files, in reading order. */
  files: string[];
  root: string;
  now: number;
}

export async function checkCanaries({ rollouts, files, root, now }: CheckInput): Promise<CanaryReport> {
  const check = new CanaryCheck(rollouts, now);
  const events = await readEvents(files, root, (event) => check.add(event));
  // Pass 2 only when some feedback is waiting for its call (and the events are worth deciding on).
  if (check.needsJoin && !malformedProblem(events)) await readEvents(files, root, (event) => check.join(event));
  return check.report(events);
}

/**
 * One check of every active canary over events the caller reads: pass 1 (`add`) every event,
 * pass 2 (`join`) every event again when `needsJoin`, then `report`. A caller that reads the
 * same events for something else (the dashboard) feeds its own passes here, so the decision
 * it shows is the one `canary check` makes.
 */
export class CanaryCheck {
  private readonly aggregates: RolloutAggregate[];

  constructor(
    private readonly rollouts: CanarySettings[],
    private readonly now: number,
  ) {
    this.aggregates = rollouts.map((r) => new RolloutAggregate(windowOf(r, now)));
  }

  add(event: CanaryEvent): void {
    for (const a of this.aggregates) a.add(event);
  }

  /** Some feedback waits for its call: the events must be read a second time through `join`. */
  get needsJoin(): boolean {
    return this.aggregates.some((a) => a.pendingFeedback > 0);
  }

  join(event: CanaryEvent): void {
    for (const a of this.aggregates) if (a.pendingFeedback > 0) a.join(event);
  }

  /** The decisions; a UserError when too many lines were malformed to decide on. */
  report(events: EventsSummary): CanaryReport {
    const problem = malformedProblem(events);
    if (problem) throw problem;
    for (const a of this.aggregates) a.finish();
    const prompts = this.rollouts.map((r, i) => decide(r, this.aggregates[i]!, this.now));
    const failed = prompts.some((p) => p.decision === 'rollback' || p.srm_alarm);
    return {
      schema: 'promptgate/canary@1',
      generated_at: new Date(this.now).toISOString(),
      result: failed ? 'fail' : 'pass',
      applied: false,
      events,
      prompts,
    };
  }
}

export function windowOf(r: CanarySettings, now: number): RolloutAggregate['window'] {
  const span = Math.max(HOUR_MS, now - r.startedAt);
  return {
    prompt: r.prompt,
    controlVersion: r.controlVersion,
    canaryVersion: r.version,
    start: r.startedAt,
    now,
    bucketMs: Math.ceil(span / CHART_POINTS / HOUR_MS) * HOUR_MS,
  };
}
