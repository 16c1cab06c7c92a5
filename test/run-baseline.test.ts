// The engine's baselines end to end: the pr mode's policies (stored, auto, rerun), mode
// baseline writing files, and mode drift, on temporary git repositories made from
// fixtures/example, through the real SDKs and the loopback model fixture.server.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../src/engine/files/project.js';
import { WorkTree } from '../src/engine/git/source.js';
import type { BaselineFile } from '../src/engine/types.js';
import { TOOL_VERSION } from '../src/engine/version.js';
import { useExampleFixture } from './helpers/example-fixture.js';
import { runMode, runPr } from './helpers/engine.js';
import { TONE_IMPROVEMENT, TONE_REGRESSION, exampleModel, isSupportRefund, systemText } from './helpers/example-model.js';
import { bumpPatch, type TempRepo } from './helpers/example-repo.js';
import { type Handler, type ModelCall } from './servers/model-server.js';

const SUPPORT = 'prompts/support-refund.prompt.yaml';
const DIR = '.promptgate/baselines';
const ALL_BASELINES = [`${DIR}/intent-classifier.json`, `${DIR}/support-refund.json`, `${DIR}/ticket-summary.json`];
/** Samples of one evaluation of every example prompt: 10 + 11 x 2 + 10. */
const ALL_SAMPLES = 42;

const fixture = useExampleFixture();

async function example(): Promise<TempRepo> {
  const repo = await fixture.repo();
  return repo;
}

const hasRegressionEdit = (call: ModelCall) => systemText(call).includes('reassuring');
const supportCalls = () => fixture.server.calls.filter(isSupportRefund);

/** main: the example plus baselines written by mode baseline; branch feature: the tone regression. */
async function withCommittedBaselines(): Promise<TempRepo> {
  const repo = await example();
  const written = await runMode('baseline', repo, fixture.server.env(), { cache: false });
  expect(written.baselines_written).toEqual(ALL_BASELINES);
  await repo.commit('baselines');
  await repo.git('checkout', '-q', '-b', 'feature');
  await repo.edit({ 'partials/tone.njk': (old) => old + TONE_REGRESSION, [SUPPORT]: bumpPatch });
  await repo.commit('friendlier tone');
  fixture.server.reset();
  return repo;
}

describe('pr mode baseline policies', () => {
  it('stored: a fresh stored baseline is used and the base version is never called', async () => {
    const repo = await withCommittedBaselines();
    const report = await runPr(repo, fixture.server.env(), { baseline: 'stored', cache: false });

    const [prompt] = report.prompts;
    expect(prompt).toMatchObject({
      name: 'support-refund',
      status: 'regressed',
      baseline: { source: 'stored' },
      version: { base: '2.1.0', head: '2.1.1' },
    });
    expect(prompt!.metrics.map((m) => [m.name, m.baseline])).toEqual([
      ['accuracy', 0.9],
      ['no_refund_promise', 1],
      ['answers', 1],
    ]);
    // Only the head version (the one with the edited tone) went to the model.
    expect(fixture.server.calls).toHaveLength(10);
    expect(fixture.server.calls.every(hasRegressionEdit)).toBe(true);
    expect(report.usage.calls).toBe(10);
  });

  it('auto: a fresh stored baseline is used', async () => {
    const repo = await withCommittedBaselines();
    const report = await runPr(repo, fixture.server.env(), { cache: false });
    expect(report.prompts[0]!.baseline.source).toBe('stored');
    expect(fixture.server.calls).toHaveLength(10);
  });

  it('rerun: the base version is evaluated even when the stored baseline is fresh', async () => {
    const repo = await withCommittedBaselines();
    const report = await runPr(repo, fixture.server.env(), { baseline: 'rerun', cache: false });
    expect(report.prompts[0]).toMatchObject({ status: 'regressed', baseline: { source: 'rerun' } });
    expect(fixture.server.calls).toHaveLength(20);
    expect(fixture.server.calls.filter((c) => !hasRegressionEdit(c))).toHaveLength(10);
  });

  /** main: baselines, then a prompt change that leaves them stale; feature: the tone regression on top. */
  async function withStaleBaseline(): Promise<TempRepo> {
    const repo = await example();
    await runMode('baseline', repo, fixture.server.env(), { cache: false });
    await repo.commit('baselines');
    await repo.edit({ 'partials/tone.njk': (old) => old + TONE_IMPROVEMENT, [SUPPORT]: bumpPatch });
    await repo.commit('trail guarantee, baseline not refreshed');
    await repo.git('checkout', '-q', '-b', 'feature');
    await repo.edit({ 'partials/tone.njk': (old) => old + TONE_REGRESSION, [SUPPORT]: bumpPatch });
    await repo.commit('friendlier tone');
    fixture.server.reset();
    return repo;
  }

  it('stored: a stale stored baseline is an error that says how to fix it, with no base-version call', async () => {
    const repo = await withStaleBaseline();
    const report = await runPr(repo, fixture.server.env(), { baseline: 'stored', cache: false });

    const [prompt] = report.prompts;
    expect(prompt).toMatchObject({ name: 'support-refund', status: 'error', baseline: { source: 'none' } });
    expect(prompt!.error).toBe(
      `The stored baseline ${DIR}/support-refund.json is stale: it was made for another version of the prompt or suite. ` +
        'To fix it, run mode baseline (promptgate baseline) on the base branch and commit the result, or use baseline: auto.',
    );
    expect(report.result).toBe('fail');
    expect(fixture.server.calls.filter((c) => !hasRegressionEdit(c))).toHaveLength(0);
  });

  it('stored: a missing stored baseline is an error too', async () => {
    const repo = await example();
    await repo.git('checkout', '-q', '-b', 'feature');
    await repo.edit({ 'partials/tone.njk': (old) => old + TONE_REGRESSION, [SUPPORT]: bumpPatch });
    await repo.commit('friendlier tone');
    const report = await runPr(repo, fixture.server.env(), { baseline: 'stored', cache: false });

    expect(report.prompts[0]!.status).toBe('error');
    expect(report.prompts[0]!.error).toBe(
      `There is no stored baseline ${DIR}/support-refund.json at the base commit. ` +
        'To fix it, run mode baseline (promptgate baseline) on the base branch and commit the result, or use baseline: auto.',
    );
    expect(fixture.server.calls.filter((c) => !hasRegressionEdit(c))).toHaveLength(0);
  });

  it('auto: a stale stored baseline is replaced by a rerun of the base version', async () => {
    const repo = await withStaleBaseline();
    const report = await runPr(repo, fixture.server.env(), { cache: false });

    const [prompt] = report.prompts;
    expect(prompt).toMatchObject({ status: 'regressed', baseline: { source: 'rerun' }, version: { base: '2.1.1', head: '2.1.2' } });
    // The base version now knows the trail guarantee: 100% accuracy, as the stale file could not say.
    expect(prompt!.metrics[0]).toMatchObject({ name: 'accuracy', baseline: 1 });
    expect(fixture.server.calls.filter((c) => !hasRegressionEdit(c))).toHaveLength(10);
    expect(fixture.server.calls).toHaveLength(20);
  });
});

describe('mode baseline', () => {
  it('writes a baseline file for every stale prompt, then nothing; all rewrites every one', async () => {
    const repo = await example();
    const before = Date.now();
    const first = await runMode('baseline', repo, fixture.server.env());
    expect(first.result).toBe('pass');
    expect(first.baselines_written).toEqual(ALL_BASELINES);
    expect(fixture.server.calls).toHaveLength(ALL_SAMPLES);

    const file = JSON.parse(await repo.read(`${DIR}/support-refund.json`)) as BaselineFile;
    const project = loadProject(new WorkTree(repo.dir));
    const prompt = project.prompts.find((p) => p.name === 'support-refund')!;
    expect(file).toMatchObject({
      schema: 'promptgate/baseline@1',
      name: 'support-refund',
      version: '2.1.0',
      prompt_hash: prompt.artifact.hash,
      suite_hash: prompt.artifact.suiteHash,
      model: 'gpt-4o-2024-11-20',
      tool_version: TOOL_VERSION,
      repeat: 1,
      metrics: { accuracy: { mean: 0.9, n: 10 }, no_refund_promise: { mean: 1, n: 10 }, answers: { mean: 1, n: 10 } },
    });
    expect(Date.parse(file.created_at)).toBeGreaterThanOrEqual(before - 1000);
    expect(Object.keys(file.cases)).toHaveLength(10);
    expect(file.cases['worn-item']).toEqual({ accuracy: 0, no_refund_promise: 1, answers: 1 });
    expect(file.cases['refund-window']).toEqual({ accuracy: 1, no_refund_promise: 1, answers: 1 });
    const classifier = JSON.parse(await repo.read(`${DIR}/intent-classifier.json`)) as BaselineFile;
    expect(classifier).toMatchObject({ repeat: 2, metrics: { label: { mean: 1, n: 22 }, clean_label: { mean: 1, n: 22 } } });

    fixture.server.reset();
    const second = await runMode('baseline', repo, fixture.server.env());
    expect(second.baselines_written).toEqual([]);
    expect(second.prompts).toEqual([]);
    expect(fixture.server.calls).toHaveLength(0);

    // One prompt changes: only its baseline is stale.
    await repo.edit({ 'partials/tone.njk': (old) => old + TONE_IMPROVEMENT });
    const third = await runMode('baseline', repo, fixture.server.env());
    expect(third.baselines_written).toEqual([`${DIR}/support-refund.json`]);
    const rewritten = JSON.parse(await repo.read(`${DIR}/support-refund.json`)) as BaselineFile;
    expect(rewritten.metrics['accuracy']).toEqual({ mean: 1, n: 10 });
    expect(rewritten.prompt_hash).not.toBe(file.prompt_hash);

    const all = await runMode('baseline', repo, fixture.server.env(), { all: true });
    expect(all.baselines_written).toEqual(ALL_BASELINES);
    // Nothing changed since: every response comes from the cache.
    expect(all.usage).toMatchObject({ calls: 0, cached: ALL_SAMPLES });
  });
});

describe('mode drift', () => {
  /** The provider's model changed under the same name: support answers lose the policy. */
  const drifted: Handler = (call, index) =>
    isSupportRefund(call) ? { text: 'Thanks for your message. Please check our website for details.' } : exampleModel(call, index);

  it('re-evaluates live, without the cache, and fails when the provider drifted', async () => {
    const repo = await example();
    await runMode('baseline', repo, fixture.server.env());
    fixture.server.reset();
    fixture.server.handle(drifted);

    const report = await runMode('drift', repo, fixture.server.env());
    expect(report.result).toBe('fail');
    expect(report.prompts.map((p) => [p.name, p.status, p.baseline.source])).toEqual([
      ['intent-classifier', 'pass', 'stored'],
      ['support-refund', 'regressed', 'stored'],
      ['ticket-summary', 'pass', 'stored'],
    ]);
    const support = report.prompts.find((p) => p.name === 'support-refund')!;
    expect(support.metrics[0]).toMatchObject({ name: 'accuracy', baseline: 0.9, candidate: 0, regressed: true });
    // Every sample went to the network although the cache holds them all.
    expect(fixture.server.calls).toHaveLength(ALL_SAMPLES);
    expect(report.usage).toMatchObject({ calls: ALL_SAMPLES, cached: 0 });
    expect(supportCalls()).toHaveLength(10);
  });

  it('a prompt without a stored baseline is an error naming promptgate baseline', async () => {
    const repo = await example();
    const report = await runMode('drift', repo, fixture.server.env(), { prompts: ['support-refund'] });
    expect(report.result).toBe('fail');
    expect(report.prompts).toHaveLength(1);
    expect(report.prompts[0]).toMatchObject({
      name: 'support-refund',
      status: 'error',
      error: `No stored baseline ${DIR}/support-refund.json: run promptgate baseline (mode: baseline) on the production branch first.`,
    });
    expect(fixture.server.calls).toHaveLength(0);
  });
});

it('baseline files are written under the workspace, at the paths listed', async () => {
  const repo = await example();
  const report = await runMode('baseline', repo, fixture.server.env(), { prompts: ['ticket-summary'] });
  expect(report.baselines_written).toEqual([`${DIR}/ticket-summary.json`]);
  const file = JSON.parse(await readFile(join(repo.dir, DIR, 'ticket-summary.json'), 'utf8')) as BaselineFile;
  expect(file.metrics).toEqual({
    valid_json: { mean: 1, n: 10 },
    shape: { mean: 1, n: 10 },
    priority: { mean: 1, n: 10 },
    brief: { mean: 1, n: 10 },
  });
});
