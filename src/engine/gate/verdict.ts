// The verdict (SPEC 4, 9), decided here and nowhere else: each prompt's status from its
// comparison, whether it blocks the run and why, and the run's result. Outlets (comment,
// annotations, failure message, CLI summary) read it and word it; they never recompute it.
import type { Finding, MetricDiff, PromptProblem, PromptReport, PromptStatus, PromptVerdict, RunResult } from '../types.js';

/** What the run was told about regressions: the accept label is on the PR; fail-on-regression. */
export interface GatePolicy {
  accept: boolean;
  failOnRegression: boolean;
}

/** A prompt's status: an error first, then a regression, then a minimum missed; `new` without a baseline. */
export function promptStatus(metrics: MetricDiff[], error: string | undefined, hasBaseline: boolean): PromptStatus {
  if (error) return 'error';
  if (metrics.some((m) => m.regressed)) return 'regressed';
  if (metrics.some((m) => m.below_min)) return 'below-min';
  return hasBaseline ? 'pass' : 'new';
}

/** What is wrong with a prompt, and whether it blocks: errors always do; gate misses unless accepted or the gate is off. */
export function promptVerdict(p: Omit<PromptReport, 'verdict'>, policy: GatePolicy): PromptVerdict {
  const problems: PromptProblem[] = [];
  if (p.status === 'error') problems.push({ kind: 'error', message: p.error ?? `${p.cases.errored.length} case(s) errored` });
  const regressed = p.metrics.filter((m) => m.regressed).map((m) => m.name);
  const belowMin = p.metrics.filter((m) => m.below_min && !m.regressed).map((m) => m.name);
  if (p.status !== 'error' && regressed.length) problems.push({ kind: 'regressed', metrics: regressed });
  if (p.status !== 'error' && belowMin.length) problems.push({ kind: 'below-min', metrics: belowMin });
  const gateMiss = problems.some((problem) => problem.kind !== 'error');
  const waived = gateMiss ? (policy.accept ? 'accepted' : policy.failOnRegression ? null : 'gate-off') : null;
  return { blocks: problems.some((problem) => problem.kind === 'error') || (gateMiss && waived === null), problems, waived };
}

/** The run fails on a run-level error, a lint error, or a prompt that blocks. */
export function runResult(prompts: PromptReport[], lint: Finding[], errors: string[]): RunResult {
  const fails = errors.length > 0 || lint.some((f) => f.severity === 'error') || prompts.some((p) => p.verdict.blocks);
  return fails ? 'fail' : 'pass';
}

/** Every prompt with its verdict, and the run's result. */
export function decide(
  prompts: Array<Omit<PromptReport, 'verdict'>>,
  lint: Finding[],
  errors: string[],
  policy: GatePolicy,
): { prompts: PromptReport[]; result: RunResult } {
  const judged = prompts.map((p) => ({ ...p, verdict: promptVerdict(p, policy) }));
  return { prompts: judged, result: runResult(judged, lint, errors) };
}
