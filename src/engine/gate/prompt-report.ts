import { isNondeterministic } from './alpha.js';
import { compareTables, scoreTable } from './compare.js';
import { promptStatus } from './verdict.js';
import type { AffectedPrompt } from '../git/graph.js';
import { zeroUsage } from '../models/runner.js';
import type { CaseDetail, EvalResult, GateRule, Prompt, PromptReport, Sample, ScoreTable, Usage } from '../types.js';

/** A prompt's report before the run's verdict is decided (gate/verdict.ts). */
export type UnjudgedPromptReport = Omit<PromptReport, 'verdict'>;

/** What a prompt is compared against: a stored baseline file or a rerun of the base version. */
export interface BaselineSide {
  source: 'stored' | 'rerun';
  table: ScoreTable;
  /** Case id -> the first sample's output. */
  outputs: Record<string, string>;
  version: string;
  samples?: Sample[];
}

export interface PromptReportInput {
  affected: AffectedPrompt;
  prompt: Prompt;
  gateDefaults: GateRule;
  candidate?: EvalResult;
  baseline?: BaselineSide;
  error?: string;
}

export function buildPromptReport({ affected, prompt, gateDefaults, candidate, baseline, error }: PromptReportInput): UnjudgedPromptReport {
  const metricNames = prompt.suite.metrics.map((m) => m.name);
  const gateFor = (metric: string): GateRule => ({ ...gateDefaults, ...prompt.suite.gate[metric] });
  const samples = candidate?.samples ?? [];
  const table = scoreTable(samples, metricNames);
  const nondeterministic = isNondeterministic(prompt.model.params, prompt.suite.repeat, [samples, baseline?.samples ?? []], metricNames);
  const comparison = candidate ? compareTables(baseline?.table, table, metricNames, gateFor, prompt.name, nondeterministic) : undefined;
  const errored = [...new Set(samples.filter((s) => s.error).map((s) => s.caseId))];
  const errorRate = samples.length ? samples.filter((s) => s.error).length / samples.length : 0;
  const maxErrorRate = prompt.suite.gate['error_rate']?.max_error_rate ?? gateDefaults.max_error_rate ?? 0;
  const firstError = samples.find((s) => s.error)?.error;
  const runError =
    error ??
    (errorRate > maxErrorRate
      ? `${(errorRate * 100).toFixed(1)}% of samples failed (max_error_rate ${maxErrorRate}); first error: ${firstError}`
      : undefined);

  const metrics = comparison?.metrics ?? [];
  const status = promptStatus(metrics, runError, baseline !== undefined);

  const regressed = comparison?.regressed ?? [];
  const improved = comparison?.improved ?? [];
  return {
    name: prompt.name,
    file: prompt.file,
    change: affected.change,
    status,
    version: { base: baseline?.version ?? affected.base?.version ?? null, head: prompt.version },
    model: prompt.model.name,
    baseline: { source: baseline?.source ?? 'none' },
    metrics,
    cases: { regressed, improved, errored },
    details: caseDetails([...new Set([...regressed, ...improved, ...errored])], prompt, table, samples, baseline),
    usage: usageOf([...samples, ...(baseline?.samples ?? [])]),
    latency_ms: latency(samples),
    samples_per_case: prompt.suite.repeat,
    samples: samples.length,
    error_rate: errorRate,
    ...(runError ? { error: runError } : {}),
    nondeterministic,
  };
}

export function removedPromptReport(affected: AffectedPrompt): UnjudgedPromptReport {
  return {
    name: affected.name,
    file: affected.file,
    change: 'removed',
    status: 'removed',
    version: { base: affected.base?.version ?? null, head: null },
    model: affected.base?.model.name ?? null,
    baseline: { source: 'none' },
    metrics: [],
    cases: { regressed: [], improved: [], errored: [] },
    details: [],
    usage: usageOf([]),
    latency_ms: { p50: 0, p95: 0 },
    samples_per_case: affected.base?.suite.repeat ?? 1,
    samples: 0,
    error_rate: 0,
    nondeterministic: false,
  };
}

function caseDetails(
  ids: string[],
  prompt: Prompt,
  table: ScoreTable,
  samples: Sample[],
  baseline: BaselineSide | undefined,
): CaseDetail[] {
  if (!ids.length) return [];
  const cases = new Map(prompt.suite.cases.map((c) => [c.id, c]));
  const firstSamples = new Map(samples.filter((s) => s.sample === 0).map((s) => [s.caseId, s]));
  return ids.map((id) => {
    const c = cases.get(id);
    const sample = firstSamples.get(id);
    const scores: CaseDetail['scores'] = {};
    for (const [metric, score] of Object.entries(table.cases[id] ?? {}))
      scores[metric] = [baseline?.table.cases[id]?.[metric] ?? null, score];
    const baselineOutput = baseline?.outputs[id];
    return {
      id,
      vars: c?.vars ?? {},
      ...(c && 'expected' in c ? { expected: c.expected } : {}),
      ...(baselineOutput !== undefined ? { baseline_output: baselineOutput } : {}),
      ...(sample ? { candidate_output: sample.output } : {}),
      scores,
      ...(sample?.reasons ? { reasons: sample.reasons } : {}),
      ...(sample?.error ? { error: sample.error } : {}),
    };
  });
}

/** Costs summed in floating point, rounded to a billionth of a dollar so reports read (and compare) cleanly. */
export function roundedUsage(usage: Usage): Usage {
  return { ...usage, cost_usd: Math.round(usage.cost_usd * 1e9) / 1e9 };
}

function usageOf(samples: Sample[]): Usage {
  const usage = zeroUsage();
  for (const s of samples) {
    if (s.cached) usage.cached++;
    // An errored sample with output got a response (its scorer failed); one without did not.
    else if (!s.error || s.output) usage.calls++;
    usage.input_tokens += s.inputTokens;
    usage.output_tokens += s.outputTokens;
    usage.cost_usd += s.costUsd;
  }
  return roundedUsage(usage);
}

/** Latency of the calls that went over the network; cache hits would only flatter it. */
function latency(samples: Sample[]): { p50: number; p95: number } {
  const live = samples.filter((s) => !s.cached && !s.error).map((s) => s.latencyMs);
  const values = (live.length ? live : samples.map((s) => s.latencyMs)).sort((a, b) => a - b);
  return { p50: quantile(values, 0.5), p95: quantile(values, 0.95) };
}

/** Nearest-rank quantile of sorted values. */
function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return 0;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
}
