// The engine's verdict end to end: budgets, accepting regressions, samples that fail, and
// llm-judge metrics, on temporary git repositories through the real SDKs and the loopback
// model fixture.server.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../src/engine/report/markdown.js';
import { TOOL_VERSION } from '../src/engine/version.js';
import { ROOT } from './e2e/harness.js';
import { useExampleFixture } from './helpers/example-fixture.js';
import { runMode, runPr } from './helpers/engine.js';
import { TONE_REGRESSION, caseOf, exampleModel, systemText } from './helpers/example-model.js';
import { bumpPatch, type Edits, type TempRepo } from './helpers/example-repo.js';
import { lastUserMessage, type Handler } from './servers/model-server.js';

const SUPPORT = 'prompts/support-refund.prompt.yaml';

const fixture = useExampleFixture();

/** The example (with `mainEdits` committed on main too) and branch feature holding `edits`. */
async function featureBranch(edits: Edits, mainEdits: Edits = {}, files?: Record<string, string>): Promise<TempRepo> {
  const repo = await fixture.repo(files);
  if (Object.keys(mainEdits).length) {
    await repo.edit(mainEdits);
    await repo.commit('production settings');
  }
  await repo.git('checkout', '-q', '-b', 'feature');
  await repo.edit(edits);
  await repo.commit('change');
  return repo;
}

const toneRegression: Edits = { 'partials/tone.njk': (old) => old + TONE_REGRESSION, [SUPPORT]: bumpPatch };
const config = (extra: string): Edits => ({ 'promptgate.yaml': (old) => `${old}${extra}\n` });

// A repository of one prompt, greet, whose suite has an llm-judge metric.
const FILES = {
  'promptgate.yaml': 'prompts: ["prompts/**/*.prompt.yaml"]\nconcurrency: 4\n',
  'README.md': '# greetings\n',
};
const GREET = `name: greet
version: 1.0.0
model: { provider: openai, name: gpt-4o-2024-11-20, temperature: 0 }
messages:
  - role: system
    content: Greet the guest by name.
  - role: user
    content: "The guest is {{ guest }}."
eval:
  cases:
    - { id: ada, vars: { guest: Ada } }
    - { id: bob, vars: { guest: Bob } }
    - { id: cy, vars: { guest: Cy } }
  metrics:
    - name: polite
      type: llm-judge
      model: { provider: anthropic, name: claude-sonnet-4-6 }
      rubric: Score 1 if the greeting is polite, else 0.
`;
/** The model is curt with Cy; the judge answers in two formats real judges use. */
const greetModel: Handler = (call) => {
  if (call.api === 'anthropic') {
    return lastUserMessage(call).includes('Welcome')
      ? { text: 'Verdict: {"score": 1, "reason": "warm and polite"}' }
      : { text: '```json\n{"score": 0.25, "reason": "curt"}\n```' };
  }
  const guest = /The guest is (\w+)\./.exec(lastUserMessage(call))?.[1];
  return { text: guest === 'Cy' ? 'Yo Cy.' : `Welcome, ${guest}! Lovely to see you.` };
};

describe('budget', () => {
  it('budget.max_calls below the planned calls refuses every call before the first, saying how to raise it', async () => {
    const repo = await featureBranch(toneRegression, config('budget: { max_calls: 5 }'));
    const report = await runPr(repo, fixture.server.env(), { cache: false });

    const message =
      'budget exceeded before any call: this run needs 20 model calls (0 more are cached) but max_calls is 5; ' +
      'raise `budget.max_calls` in promptgate.yaml, or evaluate fewer prompts';
    expect(report.result).toBe('fail');
    expect(report.errors).toEqual([message]);
    expect(report.prompts[0]).toMatchObject({ name: 'support-refund', status: 'error', error: message });
    expect(report.usage.calls).toBe(0);
    expect(fixture.server.calls).toHaveLength(0);
  });

  it('budget.max_calls stops a run mid-way when judge calls exceed it', async () => {
    fixture.server.handle(greetModel);
    const repo = await featureBranch(
      { 'prompts/greet.prompt.yaml': GREET },
      { 'promptgate.yaml': (old) => `${old}budget: { max_calls: 4 }\n` },
      FILES,
    );
    const report = await runPr(repo, fixture.server.env(), { cache: false });

    expect(report.result).toBe('fail');
    expect(fixture.server.calls).toHaveLength(4);
    expect(report.usage.calls).toBe(4);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toMatch(
      /^budget exceeded: max_calls is 4 and \d+ calls were made \(\d+ more in flight\); raise `budget\.max_calls` in promptgate\.yaml$/,
    );
    expect(report.prompts[0]).toMatchObject({ name: 'greet', status: 'error' });
  });

  it('maxCostUsd stops the run; the finished responses are cached, so a rerun with more budget makes only the rest', async () => {
    const repo = await featureBranch(toneRegression);
    // Each call may cost up to ~$0.003 (300 max_tokens), and costs ~$0.0005: some calls fit, not all 20.
    const stopped = await runPr(repo, fixture.server.env(), { maxCostUsd: 0.01, concurrency: 1 });

    expect(stopped.result).toBe('fail');
    expect(stopped.errors).toHaveLength(1);
    expect(stopped.errors[0]).toMatch(
      /^budget exceeded: max_cost_usd is \$0\.01 and \$0\.00\d+ was spent; the next call could cost up to \$0\.00\d+ with the calls in flight; raise `budget\.max_cost_usd` in promptgate\.yaml or max-cost-usd \(the input or the flag\)$/,
    );
    const made = fixture.server.calls.length;
    expect(made).toBeGreaterThan(0);
    expect(made).toBeLessThan(20);
    expect(stopped.usage.calls).toBe(made);

    const resumed = await runPr(repo, fixture.server.env(), { maxCostUsd: 10 });
    expect(resumed.result).toBe('fail');
    expect(resumed.prompts[0]!.status).toBe('regressed');
    expect(resumed.usage).toMatchObject({ calls: 20 - made, cached: made });
    expect(fixture.server.calls).toHaveLength(20);
  });
});

describe('accepting regressions', () => {
  it('accept: the regression is reported but the run passes', async () => {
    const repo = await featureBranch(toneRegression);
    const report = await runPr(repo, fixture.server.env(), { accept: true });
    expect(report).toMatchObject({ result: 'pass', accepted: true, lint: [] });
    expect(report.prompts[0]!.status).toBe('regressed');
  });

  it('failOnRegression false: the run passes and is not marked accepted', async () => {
    const repo = await featureBranch(toneRegression);
    const report = await runPr(repo, fixture.server.env(), { failOnRegression: false });
    expect(report).toMatchObject({ result: 'pass', accepted: false });
    expect(report.prompts[0]!.status).toBe('regressed');
  });

  it('a lint error still fails an accepted run', async () => {
    const repo = await featureBranch({ 'partials/tone.njk': (old) => old + TONE_REGRESSION });
    const accepted = await runPr(repo, fixture.server.env(), { accept: true });
    expect(accepted.lint.map((f) => [f.rule, f.severity, f.file])).toEqual([['version-not-bumped', 'error', SUPPORT]]);
    expect(accepted).toMatchObject({ result: 'fail', accepted: true });

    const lenient = await runPr(repo, fixture.server.env(), { failOnRegression: false });
    expect(lenient.result).toBe('fail');
  });
});

describe('a sample that fails beyond its retries', () => {
  const SHORT = 'Keep every answer short.\n';
  /** The head version's answer to refund-window always fails with a 500 (retry-after 0 keeps the test fast). */
  const failing: Handler = (call, index) =>
    systemText(call).includes('Keep every answer short') && caseOf(call)?.id === 'refund-window'
      ? { status: 500, retryAfter: 0 }
      : exampleModel(call, index);
  const shorter: Edits = { 'partials/tone.njk': (old) => old + SHORT, [SUPPORT]: bumpPatch };

  it('is listed, scored 0, and makes the prompt an error when max_error_rate is 0', async () => {
    fixture.server.handle(failing);
    const repo = await featureBranch(shorter);
    const report = await runPr(repo, fixture.server.env(), { cache: false });

    const [prompt] = report.prompts;
    expect(prompt).toMatchObject({ status: 'error', cases: { errored: ['refund-window'] }, samples: 10, error_rate: 0.1 });
    expect(prompt!.error).toBe(
      '10.0% of samples failed (max_error_rate 0); first error: openai gpt-4o-2024-11-20: 500 after 5 attempts (simulated 500)',
    );
    // Compared over the 9 cases both sides answered; the errored one is listed, not compared.
    expect(prompt!.metrics.map((m) => [m.name, m.candidate, m.n])).toEqual([
      ['accuracy', 8 / 9, 9],
      ['no_refund_promise', 1, 9],
      ['answers', 1, 9],
    ]);
    const detail = [...prompt!.details].find((d) => d.id === 'refund-window')!;
    expect(detail.scores).toEqual({ accuracy: [1, 0], no_refund_promise: [1, 0], answers: [1, 0] });
    expect(detail.error).toContain('500 after 5 attempts');
    expect(report.result).toBe('fail');
    // 10 base + 9 head responses; the failing sample's 5 attempts are not calls, 4 of them retries.
    expect(report.usage).toMatchObject({ calls: 19, retries: 4 });
    expect(fixture.server.calls).toHaveLength(24);
  });

  it.each([
    ['promptgate.yaml', { 'promptgate.yaml': (old: string) => old.replace('max_error_rate: 0', 'max_error_rate: 0.1') }],
    [
      "the suite's gate.error_rate",
      { 'evals/support-refund.eval.yaml': (old: string) => old.replace('gate:\n', 'gate:\n  error_rate: { max_error_rate: 0.1 }\n') },
    ],
  ])('passes through to the gate when max_error_rate allows it (set in %s)', async (_where, allow: Edits) => {
    fixture.server.handle(failing);
    const repo = await featureBranch(shorter, allow);
    const report = await runPr(repo, fixture.server.env(), { cache: false });

    const [prompt] = report.prompts;
    expect(prompt!.error).toBeUndefined();
    // The errored case is left out of the comparison: its 0 is no regression.
    expect(prompt).toMatchObject({
      status: 'pass',
      cases: { errored: ['refund-window'], base_errored: [], excluded: ['refund-window'], regressed: [], improved: [] },
    });
    expect(prompt!.metrics[0]).toMatchObject({ name: 'accuracy', baseline: 8 / 9, candidate: 8 / 9, n: 9, regressed: false });
  });
});

describe('a base-side sample that fails beyond its retries', () => {
  /** The base version's answer to refund-window always fails with a 500; the head's is fine. */
  const baseFails: Handler = (call, index) =>
    !systemText(call).includes('Keep every answer short') && caseOf(call)?.id === 'refund-window'
      ? { status: 500, retryAfter: 0 }
      : exampleModel(call, index);
  const shorter: Edits = { 'partials/tone.njk': (old) => old + 'Keep every answer short.\n', [SUPPORT]: bumpPatch };

  it('counts against max_error_rate, named as production', async () => {
    fixture.server.handle(baseFails);
    const repo = await featureBranch(shorter);
    const report = await runPr(repo, fixture.server.env(), { cache: false });

    const [prompt] = report.prompts;
    expect(prompt).toMatchObject({ status: 'error', error_rate: 0, base_error_rate: 0.1, base_samples: 10 });
    expect(prompt!.error).toBe(
      'production (the base version, rerun): 10.0% of samples failed (max_error_rate 0); first error: openai gpt-4o-2024-11-20: 500 after 5 attempts (simulated 500)',
    );
    expect(prompt!.cases).toMatchObject({ errored: [], base_errored: ['refund-window'], excluded: ['refund-window'] });
    expect(report.result).toBe('fail');
  });

  it('is never an improvement, and the report says the pair was left out', async () => {
    fixture.server.handle(baseFails);
    const allow: Edits = { 'promptgate.yaml': (old: string) => old.replace('max_error_rate: 0', 'max_error_rate: 0.1') };
    const repo = await featureBranch(shorter, allow);
    const report = await runPr(repo, fixture.server.env(), { cache: false });

    const [prompt] = report.prompts;
    expect(prompt).toMatchObject({ status: 'pass', cases: { improved: [], regressed: [], excluded: ['refund-window'] } });
    expect(prompt!.metrics.map((m) => [m.name, m.n, m.delta])).toEqual([
      ['accuracy', 9, 0],
      ['no_refund_promise', 9, 0],
      ['answers', 9, 0],
    ]);
    const markdown = renderMarkdown(report);
    expect(markdown).toContain('Left out of the comparison: refund-window (a sample errored on one side');
    expect(markdown).toContain('(production 10.0% of 10 samples)');
    expect(markdown).toContain('Production error: openai gpt-4o-2024-11-20: 500 after 5 attempts');
  });
});

describe('llm-judge through the runner and the anthropic SDK', () => {
  it('parses the verdicts, and a rerun answers main and judge calls from the cache', async () => {
    fixture.server.handle(greetModel);
    const repo = await featureBranch({ 'prompts/greet.prompt.yaml': GREET }, {}, FILES);
    const report = await runPr(repo, fixture.server.env());

    expect(report.lint).toEqual([]);
    expect(report.models).toEqual(['claude-sonnet-4-6', 'gpt-4o-2024-11-20']);
    const [prompt] = report.prompts;
    expect(prompt).toMatchObject({ name: 'greet', change: 'added', status: 'new', baseline: { source: 'none' } });
    expect(prompt!.metrics).toHaveLength(1);
    expect(prompt!.metrics[0]).toMatchObject({ name: 'polite', baseline: null, candidate: 0.75, n: 3 });

    const judged = fixture.server.calls.filter((c) => c.api === 'anthropic');
    expect(judged).toHaveLength(3);
    for (const call of judged) {
      expect(call.model).toBe('claude-sonnet-4-6');
      expect(call.params).toMatchObject({ temperature: 0, max_tokens: 1024 });
      expect(call.system).toContain('Score 1 if the greeting is polite, else 0.');
    }
    expect(judged.map((c) => /<output>\n(.*)\n<\/output>/.exec(lastUserMessage(c))?.[1]).sort()).toEqual([
      'Welcome, Ada! Lovely to see you.',
      'Welcome, Bob! Lovely to see you.',
      'Yo Cy.',
    ]);
    expect(report.usage).toMatchObject({ calls: 6, cached: 0 });

    const rerun = await runPr(repo, fixture.server.env());
    expect(fixture.server.calls).toHaveLength(6);
    expect(rerun.usage).toMatchObject({ calls: 0, cached: 6 });
    expect(rerun.prompts[0]!.metrics[0]!.candidate).toBe(0.75);
  });

  it("without the judge provider's key: drift (live) errors the prompt naming the key; baseline answers from the cache", async () => {
    fixture.server.handle(greetModel);
    const repo = await fixture.repo({ ...FILES, 'prompts/greet.prompt.yaml': GREET });
    await runMode('baseline', repo, fixture.server.env());
    await repo.commit('baselines');
    fixture.server.reset();
    fixture.server.handle(greetModel);

    const { ANTHROPIC_API_KEY: _judgeKey, ...withoutJudgeKey } = fixture.server.env();
    const drift = await runMode('drift', repo, withoutJudgeKey);
    expect(drift.result).toBe('fail');
    expect(drift.prompts[0]).toMatchObject({
      name: 'greet',
      status: 'error',
      missing_keys: [{ provider: 'anthropic', env: 'ANTHROPIC_API_KEY' }],
    });
    expect(drift.prompts[0]!.error).toContain("no API key for provider 'anthropic' (ANTHROPIC_API_KEY is not set)");
    expect(fixture.server.calls.every((c) => c.api === 'openai')).toBe(true);

    fixture.server.reset();
    const baseline = await runMode('baseline', repo, withoutJudgeKey, { all: true });
    expect(baseline.prompts[0]).toMatchObject({ name: 'greet', status: 'new' });
    expect(baseline.usage.calls).toBe(0);
  });
});

it('TOOL_VERSION is package.json version', async () => {
  const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  expect(TOOL_VERSION).toBe(pkg.version);
});
