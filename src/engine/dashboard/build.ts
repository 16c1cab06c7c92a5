// The dashboard's data (SPEC 15): each prompt's release history, and from the events, per
// version and day, its usage and metrics. Events are read in one streaming pass.
import { readEvents, resolveEventFiles } from '../canary/read.js';
import type { EventsSummary } from '../canary/types.js';
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
}

export interface DashboardData {
  generated_at: string;
  prompts: PromptDashboard[];
  /** What was read; null without --events. */
  events: EventsSummary | null;
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
  let summary: EventsSummary | null = null;
  if (patterns.length > 0) {
    summary = await readEvents(await resolveEventFiles(patterns, root), root, (event) => usage.add(event));
  }
  // Malformed lines do not stop a review page: the page says how many and shows the first ones.
  const problems = [...history.problems, ...(summary?.malformed_examples.map((e) => `malformed event line ${e}`) ?? [])];

  const byPrompt = usage.result();
  const prompts: PromptDashboard[] = history.prompts.map((p) => {
    const seen = byPrompt.get(p.name) ?? new Map();
    // Versions only the events know still get a row in the version table.
    const unknown = [...seen.keys()].filter((version) => !p.versions.some((v) => v.version === version));
    const versions = [...p.versions, ...unknown.map((version) => eventsOnly(version))];
    return { ...p, versions, usage: Object.fromEntries(seen) };
  });
  // A prompt that only the events know (renamed, or released from another repository) still shows.
  for (const [name, versions] of byPrompt) {
    if (history.prompts.some((p) => p.name === name)) continue;
    prompts.push({ name, versions: [...versions.keys()].map(eventsOnly), usage: Object.fromEntries(versions) });
  }
  return { generated_at: now.toISOString(), prompts, events: summary, problems };
}

function eventsOnly(version: string): VersionRelease {
  return { version, released_at: null, source: 'events only', labels: [], model: null, eval: {} };
}
