// Hand-built reports for the markdown and action tests.
import { promptVerdict, type GatePolicy } from '../src/engine/gate/verdict.js';
import type { CaseDetail, MetricDiff, PromptReport, Report, Usage } from '../src/engine/types.js';

export function usage(overrides: Partial<Usage> = {}): Usage {
  return { calls: 0, retries: 0, cached: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0, ...overrides };
}

export function metric(overrides: Partial<MetricDiff> = {}): MetricDiff {
  return {
    name: 'accuracy',
    baseline: 0.9,
    candidate: 0.9,
    delta: 0,
    ci95: [-0.05, 0.05],
    p_value: 1,
    n: 40,
    regressed: false,
    below_min: false,
    gate: {},
    alpha: null,
    alpha_source: 'auto-deterministic',
    ...overrides,
  };
}

export const regressedMetric = (overrides: Partial<MetricDiff> = {}): MetricDiff =>
  metric({ baseline: 0.9, candidate: 0.8, delta: -0.1, ci95: [-0.15, -0.05], p_value: 0.001, regressed: true, ...overrides });

export function caseDetail(id: string, overrides: Partial<CaseDetail> = {}): CaseDetail {
  return {
    id,
    vars: { question: `question of ${id}` },
    expected: 'refund',
    baseline_output: `production answer for ${id}`,
    candidate_output: `candidate answer for ${id}`,
    scores: { accuracy: [1, 0] },
    ...overrides,
  };
}

/** A prompt report; its verdict is the engine's for a gating run without the accept label, unless `report()` re-decides it. */
export function promptReport(overrides: Partial<PromptReport> = {}): PromptReport {
  const unjudged: Omit<PromptReport, 'verdict'> = {
    name: 'support-refund',
    file: 'prompts/support-refund.prompt.yaml',
    change: 'modified',
    status: 'pass',
    version: { base: '1.2.0', head: '1.3.0' },
    model: 'gpt-4o-2024-11-20',
    baseline: { source: 'stored' },
    metrics: [metric()],
    cases: { regressed: [], improved: [], errored: [] },
    details: [],
    usage: usage({ calls: 40, input_tokens: 12_000, output_tokens: 3_000, cost_usd: 0.0123 }),
    latency_ms: { p50: 1200, p95: 3400 },
    samples_per_case: 1,
    samples: 10,
    error_rate: 0,
    nondeterministic: false,
    ...overrides,
  };
  return { ...unjudged, verdict: overrides.verdict ?? promptVerdict(unjudged, { accept: false, failOnRegression: true }) };
}

/** A prompt with `n` regressed cases, most severe first as the comparison orders them. */
export function regressedPrompt(n: number, outputChars: number, name = 'support-refund'): PromptReport {
  const ids = Array.from({ length: n }, (_, i) => `case-${i}`);
  return promptReport({
    name,
    status: 'regressed',
    metrics: [regressedMetric()],
    cases: { regressed: ids, improved: [], errored: [] },
    details: ids.map((id) => caseDetail(id, { baseline_output: 'b'.repeat(outputChars), candidate_output: 'c'.repeat(outputChars) })),
  });
}

/** A report whose prompts carry the engine's verdict under `policy` (by default: gating, accepted when `accepted` is). */
export function report(overrides: Partial<Report> = {}, policy: Partial<GatePolicy> = {}): Report {
  const built: Report = {
    schema: 'promptgate/report@1',
    result: 'pass',
    mode: 'pr',
    accepted: false,
    base: { ref: 'main', sha: 'a'.repeat(40) },
    head: { ref: 'feature', sha: 'b'.repeat(40) },
    lint: [],
    usage: usage({ calls: 120, cached: 30, retries: 2, input_tokens: 40_000, output_tokens: 5_000, cost_usd: 0.12 }),
    duration_ms: 65_000,
    prompts: [],
    models: ['gpt-4o-2024-11-20'],
    errors: [],
    ...overrides,
  };
  const decided = { accept: built.accepted, failOnRegression: true, ...policy };
  return { ...built, prompts: built.prompts.map((p) => ({ ...p, verdict: promptVerdict(p, decided) })) };
}

/**
 * The markdown outside fenced code blocks and code spans, where GitHub would interpret HTML and links.
 * Follows CommonMark: a backtick fence closes on a line of at least as many backticks.
 */
export function outsideCode(markdown: string): string {
  const kept: string[] = [];
  let fence: string | null = null;
  for (const line of markdown.split('\n')) {
    if (fence === null) {
      const open = /^(`{3,})[^`]*$/.exec(line);
      if (open) fence = open[1]!;
      else kept.push(withoutCodeSpans(line));
    } else if (new RegExp(`^${fence}\`*\\s*$`).test(line)) {
      fence = null;
    }
  }
  if (fence !== null) throw new Error('unclosed code fence');
  return kept.join('\n');
}

/** A code span opens at an unescaped backtick run and closes at the next run of the same length. */
function withoutCodeSpans(line: string): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    if (line[i] === '\\') {
      out += line.slice(i, i + 2);
      i += 2;
      continue;
    }
    const run = /^`+/.exec(line.slice(i))?.[0];
    if (!run) {
      out += line[i++];
      continue;
    }
    const close = new RegExp(`(?<!\`)${run}(?!\`)`, 'g');
    close.lastIndex = i + run.length;
    const end = close.exec(line);
    if (end) i = end.index + run.length;
    else {
      out += run;
      i += run.length;
    }
  }
  return out;
}

export function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}
