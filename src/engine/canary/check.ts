// `canary check` over settings and event files: read, aggregate per rollout, decide. Pure of
// the manifest (the caller loads it and applies the decisions) and of any outlet.
import { RolloutAggregate } from './aggregate.js';
import { decide } from './decide.js';
import { malformedProblem, readEvents } from './read.js';
import type { CanaryReport, CanarySettings } from './types.js';

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
  const aggregates = rollouts.map((r) => new RolloutAggregate(windowOf(r, now)));
  const events = await readEvents(files, root, (event) => {
    for (const a of aggregates) a.add(event);
  });
  const problem = malformedProblem(events);
  if (problem) throw problem;
  // Pass 2 only when some feedback is waiting for its call.
  if (aggregates.some((a) => a.pendingFeedback > 0)) {
    const joining = aggregates.filter((a) => a.pendingFeedback > 0);
    await readEvents(files, root, (event) => {
      for (const a of joining) a.join(event);
    });
  }
  for (const a of aggregates) a.finish();
  const prompts = rollouts.map((r, i) => decide(r, aggregates[i]!, now));
  const failed = prompts.some((p) => p.decision === 'rollback' || p.srm_alarm);
  return {
    schema: 'promptgate/canary@1',
    generated_at: new Date(now).toISOString(),
    result: failed ? 'fail' : 'pass',
    applied: false,
    events,
    prompts,
  };
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
