// The CLI end to end: `main(argv, env, cwd)` in a temporary git repository made from
// fixtures/example, its models answered by the loopback fixture.server through the real SDKs.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/engine/types.js';
import { ROOT } from './e2e/harness.js';
import { runCli } from './helpers/cli.js';
import { useExampleFixture } from './helpers/example-fixture.js';
import { TONE_IMPROVEMENT, TONE_REGRESSION, isSupportRefund } from './helpers/example-model.js';
import { bumpPatch, type TempRepo } from './helpers/example-repo.js';

const SUPPORT = 'prompts/support-refund.prompt.yaml';
const NO_STACK = /^\s+at /m;

const fixture = useExampleFixture();

async function example(): Promise<TempRepo> {
  const repo = await fixture.repo();
  return repo;
}

/** The example with a committed change on branch `feature`. */
async function featureBranch(edits: Parameters<TempRepo['edit']>[0]): Promise<TempRepo> {
  const repo = await example();
  await repo.git('checkout', '-q', '-b', 'feature');
  await repo.edit(edits);
  await repo.commit('change');
  return repo;
}

async function evalJson(repo: TempRepo, args: string[] = [], env: Record<string, string> = fixture.server.env()) {
  const path = join(repo.scratch, 'report.json');
  const run = await runCli(['eval', '--base', 'main', '--json', path, ...args], env, repo.dir);
  const report = JSON.parse(await readFile(path, 'utf8')) as Report;
  return { ...run, report };
}

const toneRegression = { 'partials/tone.njk': (old: string) => old + TONE_REGRESSION, [SUPPORT]: bumpPatch };

describe('promptgate eval --base main', () => {
  it('fails with exit 1 on a regression and names the regressed metrics', async () => {
    const repo = await featureBranch(toneRegression);
    const { code, stdout, stderr, report } = await evalJson(repo);

    expect(code).toBe(1);
    expect(stdout).toContain('FAIL support-refund (modified, regressed)');
    expect(stdout).toContain('accuracy: 90.0% -> 70.0% (\u221220.0 pp) regressed');
    expect(stdout).toContain('no_refund_promise: 100.0% -> 80.0% (\u221220.0 pp) regressed');
    expect(stdout).toContain('answers: 100.0% -> 100.0% (\u00b10.0 pp)\n');
    expect(stdout).toMatch(/^FAIL: 1 of 1 prompt failed; 20 calls, 0 cached, \$\d+\.\d{4}, /m);
    expect(stdout).toContain('     regressed cases: damaged-item, angry-customer\n');
    expect(stderr).toContain('Affected prompts: support-refund (modified)');
    expect(report.result).toBe('fail');
    // The head and the base version, 10 cases each, nothing else.
    expect(fixture.server.calls).toHaveLength(20);
    expect(fixture.server.calls.every(isSupportRefund)).toBe(true);
  });

  it('writes the SPEC 6 JSON report', async () => {
    const repo = await featureBranch(toneRegression);
    const mainSha = await repo.git('rev-parse', 'main');
    const { report } = await evalJson(repo);

    expect(report).toMatchObject({
      schema: 'promptgate/report@1',
      result: 'fail',
      mode: 'pr',
      accepted: false,
      base: { ref: 'main', sha: mainSha },
      lint: [],
      usage: { calls: 20, cached: 0, retries: 0 },
      errors: [],
    });
    expect(Object.keys(report.usage).sort()).toEqual(['cached', 'calls', 'cost_usd', 'input_tokens', 'output_tokens', 'retries']);
    expect(report.head).toEqual({ ref: 'feature', sha: await repo.git('rev-parse', 'HEAD') });
    expect(report.usage.input_tokens).toBeGreaterThan(0);
    expect(report.usage.output_tokens).toBeGreaterThan(0);
    expect(report.usage.cost_usd).toBeGreaterThan(0);
    expect(typeof report.duration_ms).toBe('number');

    expect(report.prompts).toHaveLength(1);
    const [prompt] = report.prompts;
    expect(prompt).toMatchObject({
      name: 'support-refund',
      file: SUPPORT,
      change: 'modified',
      status: 'regressed',
      version: { base: '2.1.0', head: '2.1.1' },
      model: 'gpt-4o-2024-11-20',
      baseline: { source: 'rerun' },
      cases: { regressed: ['damaged-item', 'angry-customer'], improved: [], errored: [] },
      usage: { calls: 20, cached: 0, retries: 0 },
    });
    expect(Object.keys(prompt!)).toEqual(
      expect.arrayContaining([
        'name',
        'file',
        'change',
        'status',
        'version',
        'model',
        'baseline',
        'metrics',
        'cases',
        'usage',
        'latency_ms',
      ]),
    );
    expect(prompt!.usage).toEqual(report.usage);
    expect(prompt!.latency_ms).toEqual({ p50: expect.any(Number), p95: expect.any(Number) });
    expect(prompt!.metrics.map((m) => m.name)).toEqual(['accuracy', 'no_refund_promise', 'answers']);
    const accuracy = prompt!.metrics[0]!;
    expect(Object.keys(accuracy)).toEqual(
      expect.arrayContaining(['name', 'baseline', 'candidate', 'delta', 'ci95', 'p_value', 'n', 'regressed', 'below_min']),
    );
    expect(accuracy).toMatchObject({ name: 'accuracy', n: 10, regressed: true, below_min: true, p_value: expect.any(Number) });
    expect(accuracy.baseline).toBeCloseTo(0.9, 12);
    expect(accuracy.candidate).toBeCloseTo(0.7, 12);
    expect(accuracy.delta).toBeCloseTo(-0.2, 12);
    expect(accuracy.ci95).toHaveLength(2);
    expect(accuracy.ci95![0]).toBeLessThanOrEqual(accuracy.delta!);
    expect(accuracy.ci95![1]).toBeGreaterThanOrEqual(accuracy.delta!);
    expect(prompt!.metrics[2]).toMatchObject({ name: 'answers', baseline: 1, candidate: 1, delta: 0, regressed: false, below_min: false });
  });

  it('passes with exit 0 on an improvement', async () => {
    const repo = await featureBranch({ 'partials/tone.njk': (old) => old + TONE_IMPROVEMENT, [SUPPORT]: bumpPatch });
    const { code, stdout, report } = await evalJson(repo);

    expect(code).toBe(0);
    expect(stdout).toContain('ok   support-refund (modified, pass)');
    expect(stdout).toContain('accuracy: 90.0% -> 100.0% (+10.0 pp)\n');
    expect(report.result).toBe('pass');
    expect(report.prompts[0]!.cases).toEqual({ regressed: [], improved: ['worn-item'], errored: [], base_errored: [], excluded: [] });
  });

  it('passes with exit 0 when the change does not move any score', async () => {
    const repo = await featureBranch({
      [SUPPORT]: (old) => bumpPatch(old).replace('Answers refund questions', 'Handles refund questions'),
    });
    const { code, report } = await evalJson(repo);

    expect(code).toBe(0);
    expect(report.prompts.map((p) => [p.name, p.status])).toEqual([['support-refund', 'pass']]);
    expect(report.prompts[0]!.metrics.map((m) => m.delta)).toEqual([0, 0, 0]);
  });

  it('says no prompt is affected by an unrelated change and calls no model', async () => {
    const repo = await featureBranch({ 'README.md': (old) => `${old}\nMore words.\n` });
    const { code, stdout, stderr, report } = await evalJson(repo);

    expect(code).toBe(0);
    expect(stderr).toContain('No prompt is affected by this change: nothing to evaluate.\n');
    expect(stdout).toMatch(/^PASS: no prompt is affected by this change \(--all evaluates every prompt\); 0 calls, /);
    expect(report.prompts).toEqual([]);
    expect(report.usage.calls).toBe(0);
    expect(fixture.server.calls).toHaveLength(0);
  });

  it('evaluates the prompt that includes a changed partial (working tree change)', async () => {
    const repo = await example();
    await repo.edit({ 'partials/tone.njk': (old) => old + TONE_REGRESSION });
    const { code, report } = await evalJson(repo);

    expect(code).toBe(1);
    expect(report.prompts.map((p) => [p.name, p.change, p.status])).toEqual([['support-refund', 'dependency', 'regressed']]);
    // The artifact changed under an unchanged version: a lint error besides the regression.
    expect(report.lint.map((f) => [f.rule, f.file])).toEqual([['version-not-bumped', SUPPORT]]);
    expect(fixture.server.calls).toHaveLength(20);
  });

  it('--prompt evaluates only the named prompts', async () => {
    const repo = await featureBranch({
      ...toneRegression,
      'prompts/intent-classifier.prompt.yaml': (old) => bumpPatch(old).replace('Routes an incoming', 'Routes each incoming'),
    });
    const { code, report } = await evalJson(repo, ['--prompt', 'intent-classifier']);

    expect(code).toBe(0);
    expect(report.prompts.map((p) => [p.name, p.status])).toEqual([['intent-classifier', 'pass']]);
    // 11 cases x 2 repeats, base and head. The two versions send the same requests (only the
    // description changed), evaluated side by side: how many the cache answers depends on timing.
    expect(report.usage.calls + report.usage.cached).toBe(44);
    expect(fixture.server.calls).toHaveLength(report.usage.calls);
    expect(fixture.server.calls.some(isSupportRefund)).toBe(false);
  });

  it('--markdown prints the markdown report', async () => {
    const repo = await featureBranch(toneRegression);
    const { code, stdout } = await runCli(['eval', '--base', 'main', '--markdown'], fixture.server.env(), repo.dir);

    expect(code).toBe(1);
    expect(stdout.startsWith('<!-- promptgate -->')).toBe(true);
    expect(stdout).toContain('support-refund');
  });
});

describe('the response cache', () => {
  it('a rerun of the same eval makes no network call; --no-cache calls again', async () => {
    const repo = await featureBranch(toneRegression);
    const first = await evalJson(repo);
    expect(first.report.usage).toMatchObject({ calls: 20, cached: 0 });
    expect(fixture.server.calls).toHaveLength(20);

    const second = await evalJson(repo);
    expect(second.code).toBe(1);
    expect(second.report.usage).toMatchObject({ calls: 0, cached: 20 });
    expect(second.report.prompts[0]!.metrics.map((m) => m.candidate)).toEqual(first.report.prompts[0]!.metrics.map((m) => m.candidate));
    expect(fixture.server.calls).toHaveLength(20);

    const uncached = await evalJson(repo, ['--no-cache']);
    expect(uncached.report.usage).toMatchObject({ calls: 20, cached: 0 });
    expect(fixture.server.calls).toHaveLength(40);
  });
});

describe('usage and configuration errors exit 2 with a message and no stack trace', () => {
  it('an unknown command', async () => {
    const repo = await example();
    const { code, stdout, stderr } = await runCli(['evaluate'], fixture.server.env(), repo.dir);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^promptgate: Unknown command "evaluate": expected one of init, eval, lint, .*\. See "promptgate help"\.\n$/);
    expect(stderr).not.toMatch(NO_STACK);
  });

  it('a shard without a partial report to write, a bad shard, a merge of nothing', async () => {
    const repo = await example();
    const env = fixture.server.env();
    const noJson = await runCli(['eval', '--shard', '1/2'], env, repo.dir);
    expect([noJson.code, noJson.stderr]).toEqual([
      2,
      'promptgate: --shard needs --json FILE: the partial report is what promptgate merge reads. See "promptgate help eval".\n',
    ]);
    const bad = await runCli(['eval', '--shard', '3/2', '--json', 'r.json'], env, repo.dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--shard must be i/n with 1 <= i <= n');
    const nothing = await runCli(['merge', 'shards/*.json'], env, repo.dir);
    expect([nothing.code, nothing.stderr]).toEqual([2, 'promptgate: no partial report to merge: nothing matches shards/*.json\n']);
    expect(fixture.server.calls).toEqual([]);
  });

  it('a merge counts what the unsharded run counts, also a repeated sample whose scorer failed after the model answered', async () => {
    const repo = await featureBranch({
      'scorers/label-confidence.mjs': (old) =>
        old.replace(
          'labelConfidence({ output }) {',
          "labelConfidence({ output, case: c }) {\n  if (c.id === 'i-03') throw new Error('no label');",
        ),
      'prompts/intent-classifier.prompt.yaml': bumpPatch,
    });
    const whole = await evalJson(repo, ['--no-cache']);
    const intent = whole.report.prompts.find((p) => p.name === 'intent-classifier')!;
    expect(intent.samples_per_case).toBe(2);
    expect(intent.cases.errored).toContain('i-03');
    for (const i of [1, 2]) {
      const shard = await runCli(
        ['eval', '--base', 'main', '--no-cache', '--shard', `${i}/2`, '--json', join(repo.scratch, `shard-${i}.json`)],
        fixture.server.env(),
        repo.dir,
      );
      expect(shard.code).toBe(0);
    }
    const mergedPath = join(repo.scratch, 'merged.json');
    const merge = await runCli(['merge', join(repo.scratch, 'shard-*.json'), '--json', mergedPath], fixture.server.env(), repo.dir);
    expect(merge.code).toBe(whole.code);
    const merged = JSON.parse(await readFile(mergedPath, 'utf8')) as Report;
    expect(merged.usage).toEqual(whole.report.usage);
    expect(merged.prompts.map((p) => [p.name, p.usage])).toEqual(whole.report.prompts.map((p) => [p.name, p.usage]));
  });

  it('a bad --concurrency', async () => {
    const repo = await example();
    const { code, stderr } = await runCli(['eval', '--concurrency', 'lots'], fixture.server.env(), repo.dir);
    expect(code).toBe(2);
    expect(stderr).toBe('promptgate: --concurrency takes a whole number of at least 1; got "lots". See "promptgate help eval".\n');
  });

  it('an unknown --base ref', async () => {
    const repo = await example();
    const { code, stderr } = await runCli(['eval', '--base', 'no-such-branch'], fixture.server.env(), repo.dir);
    expect(code).toBe(2);
    expect(stderr).toContain('git cannot resolve "no-such-branch" to a commit');
    expect(stderr).not.toMatch(NO_STACK);
  });

  it('a missing API key: the prompt that needs it is an error naming the variable, the run still reports', async () => {
    const repo = await featureBranch(toneRegression);
    const { OPENAI_API_KEY: _, ...env } = fixture.server.env();
    const { code, stdout, stderr } = await runCli(['eval', '--base', 'main'], env, repo.dir);
    expect(code).toBe(1);
    expect(stdout + stderr).toContain("no API key for provider 'openai' (OPENAI_API_KEY is not set)");
    expect(stdout + stderr).not.toMatch(NO_STACK);
    expect(fixture.server.calls).toHaveLength(0);
  });

  it('an invalid promptgate.yaml: a located finding in the summary and the JSON report, no model call', async () => {
    const repo = await example();
    await repo.edit({ 'promptgate.yaml': (old) => old.replace('concurrency: 4', 'concurrency: 0') });
    const { code, stdout, stderr, report } = await evalJson(repo);
    expect(code).toBe(2);
    expect(stdout).toContain(
      'promptgate.yaml:3:14: error [invalid-file] concurrency: expected a number >= 1, found the number 0; change it\n',
    );
    expect(stdout).not.toContain('No prompt is affected');
    expect(stdout + stderr).not.toMatch(NO_STACK);
    expect(report).toMatchObject({ result: 'fail', stopped: 'invalid-config', prompts: [] });
    expect(report.lint).toEqual([
      {
        rule: 'invalid-file',
        severity: 'error',
        file: 'promptgate.yaml',
        line: 3,
        column: 14,
        key: 'concurrency',
        message: 'concurrency: expected a number >= 1, found the number 0; change it',
      },
    ]);
    expect(report.errors).toEqual([
      '1 configuration error (see the findings on promptgate.yaml): the run stopped before linting the prompts or calling any model; fix it and run again.',
    ]);
    expect(fixture.server.calls).toHaveLength(0);
  });
});

describe('the built binary (dist/cli.js)', () => {
  const exec = promisify(execFile);
  const cli = (args: string[], cwd: string, env: Record<string, string>) =>
    exec(process.execPath, [join(ROOT, 'dist/cli.js'), ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...env } }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
    );

  it('exits 1 on a regression and 2 on a usage error', async () => {
    const repo = await featureBranch(toneRegression);
    const failed = await cli(['eval', '--base', 'main'], repo.dir, fixture.server.env());
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('FAIL support-refund (modified, regressed)');
    expect(fixture.server.calls).toHaveLength(20);

    const usage = await cli(['eval', '--concurrency', '0'], repo.dir, fixture.server.env());
    expect(usage.code).toBe(2);
    expect(usage.stderr).toBe('promptgate: --concurrency takes a whole number of at least 1; got "0". See "promptgate help eval".\n');
  });

  it('exits 2 on a promptgate.yaml that is not YAML, with the finding located and the JSON report written', async () => {
    const repo = await example();
    await repo.edit({ 'promptgate.yaml': (old) => old.replace('concurrency: 4', 'concurrency: [4') });
    const json = join(repo.scratch, 'broken-config.json');
    const broken = await cli(['eval', '--base', 'main', '--json', json], repo.dir, fixture.server.env());
    expect(broken.code).toBe(2);
    expect(broken.stdout).toMatch(/^promptgate\.yaml:\d+:\d+: error \[invalid-file\] not valid YAML: /m);
    expect(broken.stdout + broken.stderr).not.toMatch(NO_STACK);
    const report = JSON.parse(await readFile(json, 'utf8')) as Report;
    expect(report).toMatchObject({ result: 'fail', stopped: 'invalid-config', prompts: [], usage: { calls: 0 } });
    expect(report.lint).toEqual([expect.objectContaining({ rule: 'invalid-file', file: 'promptgate.yaml', line: expect.any(Number) })]);
    expect(fixture.server.calls).toHaveLength(0);
  });
});
