// The promotion gate and the release lint rules (SPEC 10.3) in pr and lint mode, in
// temporary git repositories made from fixtures/example: main releases versions, a branch
// moves labels or touches the registry, and the engine runs as the action and CLI run it.
import { describe, expect, it } from 'vitest';
import { run } from '../src/engine/modes/run.js';
import { renderMarkdown } from '../src/engine/report/markdown.js';
import type { Report } from '../src/engine/types.js';
import { runCli } from './helpers/cli.js';
import { runPr } from './helpers/engine.js';
import { useExampleFixture } from './helpers/example-fixture.js';
import { TONE_IMPROVEMENT, TONE_REGRESSION, isSupportRefund } from './helpers/example-model.js';
import { bumpPatch, type TempRepo } from './helpers/example-repo.js';

const SUPPORT = 'prompts/support-refund.prompt.yaml';
const MANIFEST = '.promptgate/releases.yaml';
const ARCHIVE = '.promptgate/registry/support-refund/2.1.0.json';

const fixture = useExampleFixture();

async function release(repo: TempRepo, message: string): Promise<void> {
  const { code, stdout } = await runCli(['release'], fixture.server.env(), repo.dir);
  expect(stdout).not.toContain('Nothing released');
  expect(code).toBe(0);
  await repo.commit(message);
}

/**
 * main: 2.1.0 released and in production, then 2.1.1 released (`tone` appended to the
 * tone partial); branch `feature` checked out, on which `edits` are committed.
 */
async function promotionRepo(tone: string, manifest: (text: string) => string): Promise<TempRepo> {
  const repo = await fixture.repo();
  await release(repo, 'release 2.1.0');
  await repo.edit({ [MANIFEST]: '# What production serves\nsupport-refund:\n  labels:\n    production: 2.1.0   # live\n' });
  await repo.commit('production 2.1.0');
  await repo.edit({ 'partials/tone.njk': (t) => t + tone, [SUPPORT]: bumpPatch });
  await repo.commit('2.1.1');
  await release(repo, 'release 2.1.1');
  await repo.git('checkout', '-q', '-b', 'feature');
  await repo.edit({ [MANIFEST]: manifest });
  await repo.commit('move production');
  fixture.server.reset();
  return repo;
}

const promoteTo = (version: string) => (t: string) => t.replace(/production: \S+/, `production: ${version}`);

function entry(report: Report, change: string) {
  return report.prompts.find((p) => p.change === change);
}

describe('the promotion gate in pr mode', () => {
  it('a worse target fails like a regression: both versions rendered from their archives on the head suite', async () => {
    const repo = await promotionRepo(TONE_REGRESSION, promoteTo('2.1.1'));
    const report = await runPr(repo, fixture.server.env());
    expect(report.result).toBe('fail');
    expect(report.prompts).toHaveLength(1);
    expect(entry(report, 'promotion')).toMatchObject({
      name: 'support-refund',
      file: MANIFEST,
      change: 'promotion',
      status: 'regressed',
      version: { base: '2.1.0', head: '2.1.1' },
      baseline: { source: 'rerun' },
      cases: { regressed: ['damaged-item', 'angry-customer'], improved: [] },
      pointer: { label: 'production' },
    });
    // Target and production, 10 cases each, rendered from their archives exactly as release
    // rendered them: the cache release filled answers every one.
    expect(report.usage.calls + report.usage.cached).toBe(20);
    expect(report.usage.cached).toBe(20);
    expect(fixture.server.calls.every(isSupportRefund)).toBe(true);
    const markdown = renderMarkdown(report);
    expect(markdown).toContain('support-refund · production 2.1.0 -> 2.1.1');
    expect(markdown).toContain('damaged-item');
  });

  it('a better target passes, its improved cases listed', async () => {
    const repo = await promotionRepo(TONE_IMPROVEMENT, promoteTo('2.1.1'));
    const report = await runPr(repo, fixture.server.env());
    expect(report.result).toBe('pass');
    expect(entry(report, 'promotion')).toMatchObject({
      status: 'pass',
      version: { base: '2.1.0', head: '2.1.1' },
      cases: { improved: ['worn-item'] },
    });
  });

  it('production is read from the stored baseline when it was made for that version and suite', async () => {
    const repo = await promotionRepo(TONE_IMPROVEMENT, promoteTo('2.1.1'));
    await repo.git('checkout', '-q', 'main');
    await repo.git('checkout', '-q', 'HEAD~2', '--', SUPPORT, 'partials/tone.njk');
    expect((await runCli(['baseline', '--prompt', 'support-refund'], fixture.server.env(), repo.dir)).code).toBe(0);
    await repo.git('checkout', '-q', 'HEAD', '--', SUPPORT, 'partials/tone.njk');
    await repo.commit('baseline of 2.1.0');
    await repo.git('checkout', '-q', 'feature');
    await repo.git('merge', '-q', '--no-edit', 'main');
    fixture.server.reset();
    const report = await runPr(repo, fixture.server.env());
    expect(entry(report, 'promotion')).toMatchObject({ status: 'pass', baseline: { source: 'stored' } });
    expect(report.usage.calls + report.usage.cached).toBe(10);
  });

  it('a move back to a version released earlier is a rollback: passes, no model call, the comment says so', async () => {
    const repo = await promotionRepo(TONE_IMPROVEMENT, promoteTo('2.1.1'));
    await repo.git('checkout', '-q', 'main');
    await repo.git('merge', '-q', 'feature');
    await repo.git('checkout', '-q', '-b', 'rollback');
    await repo.edit({ [MANIFEST]: promoteTo('2.1.0') });
    await repo.commit('roll back');
    fixture.server.reset();
    const report = await runPr(repo, fixture.server.env());
    expect(report.result).toBe('pass');
    expect(report.prompts).toEqual([
      expect.objectContaining({
        change: 'rollback',
        status: 'pass',
        version: { base: '2.1.1', head: '2.1.0' },
        model: 'gpt-4o-2024-11-20',
      }),
    ]);
    expect(fixture.server.calls).toHaveLength(0);
    expect(renderMarkdown(report)).toContain('support-refund · rollback · production 2.1.1 -> 2.1.0');
    expect(renderMarkdown(report)).toContain('never blocked by the gate, no model call');
  });

  it('a target that cannot be rendered is release-unevaluated (and release-version-missing), located in the manifest', async () => {
    const repo = await promotionRepo(TONE_IMPROVEMENT, promoteTo('2.2.0'));
    const report = await runPr(repo, fixture.server.env());
    expect(report.result).toBe('fail');
    expect(report.lint).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rule: 'release-version-missing', file: MANIFEST, line: 4 }),
        expect.objectContaining({ rule: 'release-unevaluated', file: MANIFEST, line: 4 }),
      ]),
    );
    expect(report.lint.find((f) => f.rule === 'release-unevaluated')!.message).toContain('2.2.0 cannot be rendered');
    expect(fixture.server.calls).toHaveLength(0);
  });

  it('a missing API key makes the promotion release-unevaluated instead of stopping the run', async () => {
    const repo = await promotionRepo(TONE_IMPROVEMENT, promoteTo('2.1.1'));
    const { OPENAI_API_KEY: _, ...env } = fixture.server.env();
    const report = await runPr(repo, env);
    expect(report.lint).toEqual([expect.objectContaining({ rule: 'release-unevaluated', file: MANIFEST, line: 4 })]);
    expect(report.lint[0]!.message).toMatch(/OPENAI_API_KEY/);
  });
});

describe('release lint rules', () => {
  async function releasedOnMain(): Promise<TempRepo> {
    const repo = await fixture.repo();
    await release(repo, 'release');
    await repo.git('checkout', '-q', '-b', 'feature');
    return repo;
  }

  async function lintOf(repo: TempRepo, mode: 'pr' | 'lint' = 'pr'): Promise<Report> {
    await repo.commit('change');
    const sha = await repo.git('rev-parse', 'main');
    return run({ root: repo.dir, mode, base: { sha, ref: 'main' }, env: fixture.server.env() });
  }

  it('release-archive-modified: a changed or a deleted archive file', async () => {
    const repo = await releasedOnMain();
    await repo.edit({
      [ARCHIVE]: (t) => t.replace('"released_at": "', '"released_at": "1'),
      '.promptgate/registry/intent-classifier/1.0.4.json': null,
    });
    const report = await lintOf(repo);
    const modified = report.lint.filter((f) => f.rule === 'release-archive-modified');
    expect(modified).toEqual([
      expect.objectContaining({
        file: '.promptgate/registry/intent-classifier/1.0.4.json',
        message: expect.stringMatching(/was deleted: released versions are immutable; restore it \(git checkout \w+ -- /),
      }),
      expect.objectContaining({ file: ARCHIVE, line: 1, message: expect.stringContaining('was changed') }),
    ]);
    expect(report.result).toBe('fail');
  });

  it('version-already-released: the content changed under a released version', async () => {
    const repo = await releasedOnMain();
    await repo.edit({ 'partials/tone.njk': (t) => `${t}Be brief.\n` });
    const report = await lintOf(repo, 'lint');
    expect(report.lint).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          rule: 'version-already-released',
          file: SUPPORT,
          line: 2,
          message: expect.stringContaining(
            'support-refund 2.1.0 is already released (.promptgate/registry/support-refund/2.1.0.json) with other content',
          ),
        }),
      ]),
    );
  });

  it('release-version-missing: unknown versions and unknown prompts, each at its line', async () => {
    const repo = await releasedOnMain();
    await repo.edit({
      [MANIFEST]:
        'support-refund:\n  labels:\n    production: 2.1.0\n    staging: 3.0.0\n  segments:\n    eu: { production: 1.9.0 }\nsuport-refund:\n  labels: { production: 2.1.0 }\n',
    });
    const report = await lintOf(repo, 'lint');
    const missing = report.lint.filter((f) => f.rule === 'release-version-missing');
    expect(missing.map((f) => [f.line, f.key])).toEqual([
      [7, 'suport-refund'],
      [4, 'support-refund.labels.staging'],
      [6, 'support-refund.segments.eu.production'],
    ]);
    expect(missing[0]!.message).toContain('no prompt named "suport-refund"');
    expect(missing[1]!.message).toContain('(released: 2.1.0, current: 2.1.0)');
  });

  it('release-unevaluated in mode lint: a promotion it cannot evaluate; a rollback is not one', async () => {
    const repo = await releasedOnMain();
    await repo.edit({ [MANIFEST]: 'support-refund:\n  labels:\n    production: 2.1.0\n' });
    const report = await lintOf(repo, 'lint');
    expect(report.lint).toEqual([
      expect.objectContaining({ rule: 'release-unevaluated', file: MANIFEST, line: 3, key: 'support-refund.labels.production' }),
    ]);
    expect(report.lint[0]!.message).toContain('open a pull request so the gate evaluates it');
  });

  it('invalid-file for a manifest that does not match its schema, and for a truncated archive', async () => {
    const repo = await releasedOnMain();
    await repo.edit({
      [MANIFEST]: 'support-refund:\n  labels:\n    production: latest\n',
      [ARCHIVE]: (t) => t.slice(0, 200),
    });
    const report = await lintOf(repo);
    expect(report.lint).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          rule: 'invalid-file',
          file: MANIFEST,
          line: 3,
          message: expect.stringContaining('expected a released version such as "2.1.0"'),
        }),
        expect.objectContaining({ rule: 'invalid-file', file: ARCHIVE, message: expect.stringContaining('not valid JSON') }),
      ]),
    );
  });
});
