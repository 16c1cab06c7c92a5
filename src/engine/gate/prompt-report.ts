import { isNondeterministic } from './alpha.js';
import { CaseScoreRecord, compareTables, scoreTable, type EvaluatedScoreTable, type LaidOutSamples } from './compare.js';
import { caseIndex } from '../evaluate/case-index.js';
import { promptStatus } from './verdict.js';
import type { AffectedPrompt } from '../git/graph.js';
import { LazyList } from '../lazy-list.js';
import { zeroUsage } from '../models/runner.js';
import { plural } from '../report/format.js';
import type {
  BaselineFile,
  CaseDetail,
  EvalResult,
  GateRule,
  MissingKey,
  Prompt,
  PromptReport,
  PromptStatus,
  IndexedList,
  Sample,
  ScoreTable,
  Usage,
} from '../types.js';

type Samples = IndexedList<Sample>;

/** The samples of a prompt that was not evaluated. */
const NOTHING_EVALUATED: LaidOutSamples = { samples: [], cases: caseIndex([]), repeat: 1 };

/** A prompt's report before the run's verdict is decided (gate/verdict.ts). */
export type UnjudgedPromptReport = Omit<PromptReport, 'verdict'>;

/** What a prompt is compared against: a stored baseline file or a rerun of the base version. */
export interface BaselineSide {
  source: 'stored' | 'rerun';
  table: ScoreTable;
  /** A case's first sample's output, read when its detail is made. */
  outputOf(id: string): string | undefined;
  version: string;
  samples?: Samples;
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
  const evaluated = candidate ?? NOTHING_EVALUATED;
  const samples = evaluated.samples;
  const baseSamples = baseline?.samples ?? [];
  const table = scoreTable(evaluated, metricNames);
  // Usage sums the candidate's samples, then the base's: the order the cost is added in.
  const usage = zeroUsage();
  const cand = sideSummary(samples, usage, { latency: true });
  const base = sideSummary(baseSamples, usage);
  const errored = cand.erroredCases;
  const baseErrored = base.erroredCases;
  const excluded = baseline ? [...new Set([...errored, ...baseErrored])] : [];
  const nondeterministic = isNondeterministic(prompt.model.params, prompt.suite.repeat);
  const comparison = candidate
    ? compareTables(baseline?.table, table, metricNames, gateFor, prompt.name, { excluded: new Set(excluded), nondeterministic })
    : undefined;
  const maxErrorRate = prompt.suite.gate['error_rate']?.max_error_rate ?? gateDefaults.max_error_rate ?? 0;
  const missingKeys = [...new Map([...cand.missingKeys, ...base.missingKeys].map((k) => [k.provider, k])).values()];
  // Both sides count against max_error_rate (SPEC 3: an error is reported, never dropped).
  const sideErrors = [sideError('', cand, maxErrorRate), sideError('production (the base version, rerun): ', base, maxErrorRate)].filter(
    (e) => e !== undefined,
  );
  const runError =
    error ??
    (missingKeys.length && (errored.length || baseErrored.length)
      ? `${missingKeys.map((k) => `no API key for provider '${k.provider}' (${k.env} is not set)`).join('; ')}: ` +
        `${plural(cand.errors + base.errors, 'sample')} could not be evaluated, the others were answered by the response cache`
      : sideErrors.length
        ? sideErrors.join('; ')
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
    cases: { regressed, improved, errored, base_errored: baseErrored, excluded },
    // Every compared case, changed ones first: the markdown shows the changed, the HTML report all.
    details: caseDetails([regressed, improved, errored, baseErrored], evaluated, table, baseline),
    usage: roundedUsage(usage),
    latency_ms: cand.latency!,
    samples_per_case: prompt.suite.repeat,
    samples: samples.length,
    error_rate: cand.errorRate,
    ...(baseline?.samples ? { base_samples: baseSamples.length, base_error_rate: base.errorRate } : {}),
    ...(runError ? { error: runError } : {}),
    ...(missingKeys.length ? { missing_keys: missingKeys } : {}),
    nondeterministic,
  };
}

/** What a report reads of one side's samples. */
interface SideSummary {
  /** Ids of the cases with an errored sample, each once, in order. */
  erroredCases: string[];
  errors: number;
  errorRate: number;
  firstError?: string;
  /** Each provider whose missing key stopped a sample, once. */
  missingKeys: MissingKey[];
  /** Asked for: quantiles of the latency of the calls that went over the network (cache hits would only flatter it). */
  latency?: { p50: number; p95: number };
}

/**
 * One side's samples read once, its usage added to `usage`. Each read of an evaluation's
 * SampleList makes a sample object: reading a 500,000-sample side once per figure (eight
 * times) made gigabytes of garbage at the end of a run and set its peak memory.
 */
function sideSummary(samples: Samples, usage: Usage, wants: { latency?: boolean } = {}): SideSummary {
  const erroredCases = new Set<string>();
  const missingKeys = new Map<string, MissingKey>();
  // Sized once: arrays grown to 500,000 numbers left twice their size behind them as garbage.
  const latencies = wants.latency ? new Float64Array(samples.length) : undefined;
  let live = 0;
  let errors = 0;
  let firstError: string | undefined;
  for (const s of samples) {
    if (s.cached) usage.cached++;
    // An errored sample with output got a response (its scorer failed); one without did not.
    else if (!s.error || s.output) usage.calls++;
    usage.input_tokens += s.inputTokens;
    usage.output_tokens += s.outputTokens;
    usage.cost_usd += s.costUsd;
    if (s.error) {
      errors++;
      firstError ??= s.error;
      erroredCases.add(s.caseId);
    } else if (latencies && !s.cached) latencies[live++] = s.latencyMs;
    if (s.missingKey) missingKeys.set(s.missingKey.provider, s.missingKey);
  }
  return {
    erroredCases: [...erroredCases],
    errors,
    errorRate: samples.length ? errors / samples.length : 0,
    ...(firstError !== undefined && { firstError }),
    missingKeys: [...missingKeys.values()],
    ...(latencies && { latency: latencyQuantiles(samples, latencies.subarray(0, live)) }),
  };
}

/** One side's error rate beyond max_error_rate, worded with its first error. */
function sideError(side: string, summary: SideSummary, maxErrorRate: number): string | undefined {
  if (summary.errorRate <= maxErrorRate) return undefined;
  return `${side}${(summary.errorRate * 100).toFixed(1)}% of samples failed (max_error_rate ${maxErrorRate}); first error: ${summary.firstError}`;
}

export function removedPromptReport(affected: AffectedPrompt): UnjudgedPromptReport {
  return notEvaluatedReport(affected, { status: 'removed', version: { base: affected.base?.version ?? null, head: null } });
}

/**
 * A prompt entry that makes no model call: a removed prompt, or a rollback (SPEC 10.3),
 * which is never gated. `affected.base` is the version it moves away from.
 */
export function notEvaluatedReport(
  affected: AffectedPrompt,
  outcome: { status: PromptStatus; version: PromptReport['version'] },
): UnjudgedPromptReport {
  const described = affected.head ?? affected.base;
  return {
    name: affected.name,
    file: affected.file,
    change: affected.change,
    status: outcome.status,
    version: outcome.version,
    model: described?.model.name ?? null,
    baseline: { source: 'none' },
    metrics: [],
    cases: { regressed: [], improved: [], errored: [] },
    details: [],
    usage: zeroUsage(),
    latency_ms: { p50: 0, p95: 0 },
    samples_per_case: described?.suite.repeat ?? 1,
    samples: 0,
    error_rate: 0,
    nondeterministic: false,
  };
}

/**
 * Every case's detail, the cases of `changed` first (each list in order, once), then the rest
 * in order; made as they are read. They go by case position, so a run without a baseline or
 * changed cases never indexes its cases by id.
 */
function caseDetails(
  changed: string[][],
  { samples, cases, repeat }: LaidOutSamples,
  table: EvaluatedScoreTable,
  baseline: BaselineSide | undefined,
): LazyList<CaseDetail> {
  const first = [...new Set(changed.flat())].flatMap((id) => cases.position(id) ?? []);
  return new LazyList(cases.length, function* () {
    const baselineErrors = new Map<string, string>();
    for (const s of baseline?.samples ?? []) if (s.error && !baselineErrors.has(s.caseId)) baselineErrors.set(s.caseId, s.error);
    const metrics = Object.keys(table.metrics);
    const detail = (position: number): CaseDetail => {
      const c = cases.at(position);
      const sample = samples.at(position * repeat);
      const scores: CaseDetail['scores'] = {};
      const means = table.cases.at(position);
      const baseMeans = baseline?.table.cases.get(c.id);
      for (const metric of metrics) {
        const score = means[metric];
        if (score !== undefined) scores[metric] = [baseMeans?.[metric] ?? null, score];
      }
      // One literal with absent fields undefined (JSON leaves them out): details assembled by
      // spreads got a hidden class each, megabytes over a large suite.
      return {
        id: c.id,
        vars: c.vars,
        expected: c.expected,
        baseline_output: baseline?.outputOf(c.id),
        candidate_output: sample?.output,
        scores,
        reasons: sample?.reasons,
        error: sample?.error || undefined,
        baseline_error: baselineErrors.get(c.id),
      };
    };
    for (const position of first) yield detail(position);
    const shown = new Set(first);
    for (let position = 0; position < cases.length; position++) if (!shown.has(position)) yield detail(position);
  });
}

/** Costs summed in floating point, rounded to a billionth of a dollar so reports read (and compare) cleanly. */
export function roundedUsage(usage: Usage): Usage {
  return { ...usage, cost_usd: Math.round(usage.cost_usd * 1e9) / 1e9 };
}

/** p50 and p95 of the `live` latencies; of every sample's when none went over the network. */
function latencyQuantiles(samples: Samples, live: Float64Array): { p50: number; p95: number } {
  const values = live.length > 0 ? live : Float64Array.from(samples, (s) => s.latencyMs);
  values.sort();
  return { p50: quantile(values, 0.5), p95: quantile(values, 0.95) };
}

/** Nearest-rank quantile of sorted values. */
function quantile(sorted: Float64Array, q: number): number {
  if (!sorted.length) return 0;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
}

/** A stored baseline file as the side a candidate is compared with. */
export function storedSide(file: BaselineFile): BaselineSide {
  return {
    source: 'stored',
    table: { metrics: file.metrics, cases: new CaseScoreRecord(file.cases) },
    outputOf: (id) => (file.outputs && Object.hasOwn(file.outputs, id) ? file.outputs[id] : undefined),
    version: file.version,
  };
}

/** A version evaluated in this run as the side a candidate is compared with; `prompt` names the suite's metrics. */
export function rerunSide(result: EvalResult, prompt: Prompt): BaselineSide {
  // The outputs stay where the samples keep them: a case's first sample is its first position.
  const outputOf = (id: string): string | undefined => {
    const position = result.cases.position(id);
    return position === undefined ? undefined : result.samples.at(position * result.repeat)?.output;
  };
  return {
    source: 'rerun',
    table: scoreTable(
      result,
      prompt.suite.metrics.map((m) => m.name),
    ),
    outputOf,
    version: result.version,
    samples: result.samples,
  };
}
