import { describe, expect, it } from 'vitest';
import { annotationsFor } from '../src/action/annotations.js';
import { failureMessage } from '../src/action/failure.js';
import { runOutputs } from '../src/action/outputs.js';
import type { MetricDiff, PromptReport, PromptStatus, Report } from '../src/engine/types.js';
import { metric as baseMetric, promptReport, report as baseReport, usage as reportUsage } from './report-helpers.js';

// The markdown tests' builders, with this file's defaults: a failing report, zero usage.
const usage = reportUsage();
const metric = (name: string, over: Partial<MetricDiff> = {}): MetricDiff => baseMetric({ name, ci95: [0, 0], n: 10, ...over });
const prompt = (name: string, status: PromptStatus, metrics: MetricDiff[] = [], over: Partial<PromptReport> = {}): PromptReport =>
  promptReport({
    name,
    file: `prompts/${name}.prompt.yaml`,
    status,
    version: { base: '1.0.0', head: '1.0.1' },
    baseline: { source: 'rerun' },
    metrics,
    usage,
    latency_ms: { p50: 0, p95: 0 },
    ...over,
  });
/** A failing report whose prompts carry the engine's own verdict (gate/verdict.ts) under `policy`. */
const report = (over: Partial<Report> = {}, policy: { failOnRegression?: boolean } = {}): Report =>
  baseReport({ result: 'fail', usage, duration_ms: 1, models: [], ...over }, policy);

const regressed = prompt('support-refund', 'regressed', [
  metric('accuracy', { baseline: 0.9, candidate: 0.7, delta: -0.2, regressed: true }),
  metric('tone', { baseline: 1, candidate: 0.95, delta: -0.05, regressed: true }),
  metric('format'),
]);
const belowMin = prompt('ticket-summary', 'below-min', [
  metric('accuracy', { baseline: null, delta: null, candidate: 0.5, below_min: true, gate: { min: 0.8 } }),
]);
const errored = prompt('intent-classifier', 'error', [], {
  error: 'OPENAI_API_KEY is not set',
  cases: { regressed: [], improved: [], errored: ['c1'] },
});
const lint = {
  rule: 'model-unpinned' as const,
  severity: 'error' as const,
  file: 'prompts/x.prompt.yaml',
  line: 5,
  column: 9,
  message: 'pin gpt-4o',
};
const gate = { acceptLabel: 'promptgate:accept' };

describe('failureMessage', () => {
  it('says per cause what to do next', () => {
    const message = failureMessage(
      report({ lint: [lint], prompts: [regressed, belowMin, errored], errors: ['Budget of $5 exceeded.'] }),
      gate,
    );
    expect(message.split('\n')).toEqual([
      '1 lint error: fix it (see the annotations on the files).',
      '2 metrics regressed in support-refund (accuracy, tone). Fix the prompt, or add the label "promptgate:accept" to accept the regression.',
      "ticket-summary is below its minimum on accuracy. Improve the prompt, or lower the metric's gate min in its eval suite.",
      'intent-classifier could not be evaluated: OPENAI_API_KEY is not set. See the log for the failed calls, fix the cause, and re-run.',
      'Budget of $5 exceeded.',
    ]);
  });

  it('leaves out the regressions that do not fail the check', () => {
    expect(failureMessage(report({ accepted: true, lint: [lint], prompts: [regressed] }), gate)).toBe(
      '1 lint error: fix it (see the annotations on the files).',
    );
    expect(failureMessage(report({ prompts: [regressed, belowMin, errored] }, { failOnRegression: false }), gate)).toBe(
      'intent-classifier could not be evaluated: OPENAI_API_KEY is not set. See the log for the failed calls, fix the cause, and re-run.',
    );
  });
});

describe('annotationsFor', () => {
  it('annotates lint findings at their line and failing prompts on their file', () => {
    expect(
      annotationsFor(
        report({
          lint: [lint, { ...lint, rule: 'model-unverified', severity: 'warning', line: undefined, column: undefined }],
          prompts: [regressed, belowMin, errored, prompt('ok', 'pass')],
        }),
      ),
    ).toEqual([
      {
        level: 'error',
        message: 'pin gpt-4o',
        properties: { title: 'promptgate model-unpinned', file: 'prompts/x.prompt.yaml', startLine: 5, startColumn: 9 },
      },
      { level: 'warning', message: 'pin gpt-4o', properties: { title: 'promptgate model-unverified', file: 'prompts/x.prompt.yaml' } },
      {
        level: 'error',
        message: 'Regressed: accuracy 90.0% → 70.0% (−20.0 pp); tone 100.0% → 95.0% (−5.0 pp).',
        properties: { title: 'promptgate: support-refund regressed', file: 'prompts/support-refund.prompt.yaml' },
      },
      {
        level: 'error',
        message: 'Below the minimum: accuracy 50.0% < 80.0%.',
        properties: { title: 'promptgate: ticket-summary below-min', file: 'prompts/ticket-summary.prompt.yaml' },
      },
      {
        level: 'error',
        message: 'OPENAI_API_KEY is not set',
        properties: { title: 'promptgate: intent-classifier error', file: 'prompts/intent-classifier.prompt.yaml' },
      },
    ]);
  });

  it('makes accepted gate misses warnings (the accept label passes the gate, SPEC 9), and every gate miss a warning when fail-on-regression is off', () => {
    const levels = (r: Report) => annotationsFor(r).map((a) => `${a.level} ${a.properties.title}`);
    expect(levels(report({ accepted: true, prompts: [regressed, belowMin, errored] }))).toEqual([
      'warning promptgate: support-refund regressed',
      'warning promptgate: ticket-summary below-min',
      'error promptgate: intent-classifier error',
    ]);
    expect(levels(report({ prompts: [regressed, belowMin, errored] }, { failOnRegression: false }))).toEqual([
      'warning promptgate: support-refund regressed',
      'warning promptgate: ticket-summary below-min',
      'error promptgate: intent-classifier error',
    ]);
  });
});

describe('runOutputs', () => {
  it('counts regressed metrics and evaluated prompts, and lists written baselines', () => {
    const r = report({
      prompts: [regressed, belowMin, prompt('gone', 'removed')],
      usage: { ...usage, cost_usd: 0.1 + 0.2 },
      baselines_written: ['.promptgate/baselines/a.json', '.promptgate/baselines/b.json'],
    });
    expect(runOutputs(r, { reportPath: '/w/promptgate-report.json', commentUrl: null })).toEqual({
      result: 'fail',
      regressions: '2',
      evaluated: '2',
      report: '/w/promptgate-report.json',
      'cost-usd': '0.3',
      'comment-url': '',
      baselines: '.promptgate/baselines/a.json\n.promptgate/baselines/b.json',
      released: '',
      manifest: '',
    });
  });

  it('lists released archive files and the published manifest in mode release', () => {
    const r = report({
      mode: 'release',
      released: ['.promptgate/registry/a/1.0.0.json', '.promptgate/registry/b/2.0.0.json'],
      published: { manifest: '/w/bundle/manifest.json', artifacts: ['artifacts/0a.json'] },
    });
    expect(runOutputs(r, { reportPath: '/w/promptgate-report.json', commentUrl: null })).toMatchObject({
      released: '.promptgate/registry/a/1.0.0.json\n.promptgate/registry/b/2.0.0.json',
      manifest: '/w/bundle/manifest.json',
    });
  });
});
