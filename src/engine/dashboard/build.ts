// The dashboard's data (SPEC 15): each prompt's release history, from the events per version
// and day its usage and metrics, and each active canary's decision. The events are streamed:
// one pass, and a second only when feedback waits for its call; the canary check is fed the
// same passes, so the dashboard shows the decision `canary check` makes and decides nothing.
import { CanaryCheck } from '../canary/check.js';
import { readEvents, resolveEventFiles } from '../canary/read.js';
import { canarySettings } from '../canary/settings.js';
import type { EventsSummary, PromptCanaryReport } from '../canary/types.js';
import { UserError } from '../errors.js';
import { costOf } from '../models/pricing.js';
import { loadReleaseHistory, type PromptHistory, type VersionRelease } from './releases.js';
import { UsageAggregate, type DayUsage } from './usage.js';

export interface DashboardOptions {
  root: string;
  configPath?: string;
  /** Globs of event files (promptgate/event@1 or OTLP JSON lines, plain or gzip), relative to root. */
  events: string[];
  now?: Date;
}

export interface PromptDashboard extends PromptHistory {
  /** Version -> its days with events, oldest first. */
  usage: Record<string, DayUsage[]>;
  /** With an active canary: the canary check's decision over these events at `generated_at`, or why there is none. */
  canaryCheck?: { report: PromptCanaryReport } | { undecided: string };
}

export interface DashboardData {
  generated_at: string;
  prompts: PromptDashboard[];
  /** What was read; null without --events. */
  events: EventsSummary | null;
  /** Feedback events joined to their call by call_id, and those left out (no such call, or it errored); null without --events. */
  feedback: { joined: number; unmatched: number } | null;
  /** Deliveries of a call_id already counted, left out as the canary check leaves them out; null without --events. */
  duplicate_calls: number | null;
  problems: string[];
}

export async function buildDashboard({ root, configPath, events: patterns, now = new Date() }: DashboardOptions): Promise<DashboardData> {
  const history = await loadReleaseHistory(root, configPath);
  const modelOf = new Map(history.prompts.flatMap((p) => p.versions.map((v) => [`${p.name}@${v.version}`, v.model] as const)));
  // A version the repository does not know (released elsewhere, archive removed) is priced at the prompt's latest model.
  const latestModel = new Map(history.prompts.map((p) => [p.name, p.versions.findLast((v) => v.model)?.model ?? null]));
  const usage = new UsageAggregate((prompt, version, input, output) => {
    const model = modelOf.get(`${prompt}@${version}`) ?? latestModel.get(prompt);
    return model ? costOf(model, input, output, history.config.pricing) : 0;
  });
  const rollouts = Object.entries(history.manifest).flatMap(([name, releases]) => canarySettings(name, releases) ?? []);
  const check = new CanaryCheck(rollouts, now.getTime());
  let summary: EventsSummary | null = null;
  const decisions = new Map<string, NonNullable<PromptDashboard['canaryCheck']>>();
  if (patterns.length > 0) {
    const files = await resolveEventFiles(patterns, root);
    summary = await readEvents(files, root, (event) => {
      usage.add(event);
      check.add(event);
    });
    if (usage.pendingFeedback > 0 || check.needsJoin) {
      await readEvents(files, root, (event) => {
        usage.join(event);
        check.join(event);
      });
    }
    try {
      for (const report of check.report(summary).prompts) decisions.set(report.prompt, { report });
    } catch (err) {
      // Too many malformed lines to decide on: the page still shows everything else, and says why.
      if (!(err instanceof UserError)) throw err;
      for (const r of rollouts) decisions.set(r.prompt, { undecided: err.message });
    }
  } else for (const r of rollouts) decisions.set(r.prompt, { undecided: 'no events given (--events GLOB), so no decision' });
  // Malformed lines do not stop a review page: the page says how many and shows the first ones.
  const problems = [...history.problems, ...(summary?.malformed_examples.map((e) => `malformed event line ${e}`) ?? [])];

  const byPrompt = usage.result();
  const prompts: PromptDashboard[] = history.prompts.map((p) => {
    const seen = byPrompt.get(p.name) ?? new Map();
    // Versions only the events know still get a row in the version table.
    const unknown = [...seen.keys()].filter((version) => !p.versions.some((v) => v.version === version));
    const versions = [...p.versions, ...unknown.map((version) => eventsOnly(version))];
    const canaryCheck = decisions.get(p.name);
    return { ...p, versions, usage: Object.fromEntries(seen), ...(canaryCheck && { canaryCheck }) };
  });
  // A prompt that only the events know (renamed, or released from another repository) still shows.
  for (const [name, versions] of byPrompt) {
    if (history.prompts.some((p) => p.name === name)) continue;
    prompts.push({ name, versions: [...versions.keys()].map(eventsOnly), usage: Object.fromEntries(versions) });
  }
  const feedback = summary ? usage.feedbackCounts : null;
  const duplicates = summary ? usage.duplicateCalls : null;
  return { generated_at: now.toISOString(), prompts, events: summary, feedback, duplicate_calls: duplicates, problems };
}

function eventsOnly(version: string): VersionRelease {
  return { version, released_at: null, source: 'events only', labels: [], model: null, eval: {} };
}
