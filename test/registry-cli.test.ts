// release, promote, rollback and publish through the CLI in temporary git repositories made
// from fixtures/example, models answered by the loopback example model through the real SDKs.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git } from './e2e/harness.js';
import { runCli } from './helpers/cli.js';
import { useExampleFixture } from './helpers/example-fixture.js';
import { bumpPatch, type TempRepo } from './helpers/example-repo.js';

const SUPPORT = 'prompts/support-refund.prompt.yaml';
const ARCHIVE = '.promptgate/registry/support-refund/2.1.0.json';
const MANIFEST = '.promptgate/releases.yaml';
const NO_STACK = /^\s+at /m;

const fixture = useExampleFixture();
const cli = (repo: TempRepo, ...argv: string[]) => runCli(argv, fixture.server.env(), repo.dir);

async function releasedExample(): Promise<TempRepo> {
  const repo = await fixture.repo();
  const { code, stderr } = await cli(repo, 'release');
  expect(stderr).not.toMatch(NO_STACK);
  expect(code).toBe(0);
  await repo.commit('release');
  return repo;
}

describe('promptgate release', () => {
  it('archives every current version with its scores at release, evaluated when no baseline matches', async () => {
    const repo = await fixture.repo();
    const { code, stdout } = await cli(repo, 'release');
    expect(code).toBe(0);
    expect(stdout).toContain(`released ${ARCHIVE}`);
    expect(stdout).toContain('released .promptgate/registry/intent-classifier/1.0.4.json');
    expect(stdout).toContain('released .promptgate/registry/ticket-summary/1.3.0.json');
    const archive = JSON.parse(await repo.read(ARCHIVE));
    const head = await repo.git('rev-parse', 'HEAD');
    expect(archive).toMatchObject({
      schema: 'promptgate/artifact@1',
      name: 'support-refund',
      version: '2.1.0',
      source: { path: SUPPORT, commit: head },
      eval: { metrics: { accuracy: { mean: 0.9, n: 10 } } },
    });
    expect(archive.released_at).toBe(new Date(await repo.git('show', '-s', '--format=%cI', 'HEAD')).toISOString());
    const calls = fixture.server.calls.length;
    expect(calls).toBeGreaterThan(0);

    // Everything released: a second run writes nothing and calls no model.
    await repo.commit('release');
    const again = await cli(repo, 'release');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Nothing to release');
    expect(fixture.server.calls.length).toBe(calls);
  });

  it('takes the scores from the stored baseline when it matches, with no model call', async () => {
    const repo = await fixture.repo();
    expect((await cli(repo, 'baseline')).code).toBe(0);
    await repo.commit('baselines');
    fixture.server.reset();
    const { code } = await cli(repo, 'release', 'support-refund', '--no-cache');
    expect(code).toBe(0);
    expect(fixture.server.calls).toHaveLength(0);
    const baseline = JSON.parse(await repo.read('.promptgate/baselines/support-refund.json'));
    expect(JSON.parse(await repo.read(ARCHIVE)).eval).toEqual({ suite_hash: baseline.suite_hash, metrics: baseline.metrics });
    expect(existsSync(join(repo.dir, '.promptgate/registry/intent-classifier'))).toBe(false);
  });

  it('two clones of the same commit write byte-identical archives', async () => {
    const repo = await fixture.repo();
    const bare = `${repo.scratch}/origin.git`;
    await git(repo.scratch, 'clone', '-q', '--bare', repo.dir, bare);
    const bytes: string[] = [];
    for (const name of ['one', 'two']) {
      const dir = join(repo.scratch, name);
      await git(repo.scratch, 'clone', '-q', '--depth=1', `file://${bare}`, dir);
      const { code } = await runCli(['release', 'support-refund'], fixture.server.env(), dir);
      expect(code).toBe(0);
      bytes.push(readFileSync(join(dir, ARCHIVE), 'utf8'));
    }
    expect(bytes[1]).toBe(bytes[0]);
  });

  it('refuses a prompt with lint errors, writing nothing, and names file and line', async () => {
    const repo = await fixture.repo();
    await repo.edit({ [SUPPORT]: (t) => t.replace('name: gpt-4o-2024-11-20', 'name: gpt-4o') });
    await repo.commit('floating model');
    const { code, stdout, stderr } = await cli(repo, 'release');
    expect(code).toBe(1);
    expect(stdout).toMatch(/prompts\/support-refund\.prompt\.yaml:\d+(:\d+)?: error \[model-unpinned\] /);
    expect(stdout).toContain('Nothing released');
    expect(stderr).not.toMatch(NO_STACK);
    expect(existsSync(join(repo.dir, '.promptgate/registry'))).toBe(false);
  });

  it('refuses version-already-released when the content changed under a released version', async () => {
    const repo = await releasedExample();
    await repo.edit({ 'partials/tone.njk': (t) => `${t}Be brief.\n` });
    await repo.commit('tone without a bump');
    const before = await repo.read(ARCHIVE);
    const { code, stdout } = await cli(repo, 'release');
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /prompts\/support-refund\.prompt\.yaml:2: error \[version-already-released\] support-refund 2\.1\.0 is already released/,
    );
    expect(await repo.read(ARCHIVE)).toBe(before);
  });

  it('refuses uncommitted changes to what it would archive (exit 2)', async () => {
    const repo = await fixture.repo();
    await repo.edit({ [SUPPORT]: bumpPatch });
    const { code, stderr } = await cli(repo, 'release');
    expect(code).toBe(2);
    expect(stderr).toContain(`Uncommitted changes in ${SUPPORT}`);
  });

  it('an unknown prompt name is a usage error', async () => {
    const repo = await fixture.repo();
    const { code, stderr } = await cli(repo, 'release', 'nope');
    expect(code).toBe(2);
    expect(stderr).toContain('No prompt is named "nope"; the prompts are: intent-classifier, support-refund, ticket-summary');
  });
});

describe('promptgate promote, rollback and publish', () => {
  it('promote edits one line; rollback finds the previous version in git history and removes the canary', async () => {
    const repo = await releasedExample();
    await repo.edit({
      [MANIFEST]: '# Release manifest\nsupport-refund:   # refunds\n  labels:\n    production: 2.1.0   # live\n',
    });
    await repo.commit('production 2.1.0');
    // Release 2.1.1 and promote it.
    await repo.edit({ 'partials/tone.njk': (t) => `${t}Be brief.\n`, [SUPPORT]: bumpPatch });
    await repo.commit('2.1.1');
    expect((await cli(repo, 'release')).code).toBe(0);
    const promoted = await cli(repo, 'promote', 'support-refund', '2.1.1');
    expect(promoted.code).toBe(0);
    expect(promoted.stdout).toContain('support-refund production: 2.1.0 -> 2.1.1 in .promptgate/releases.yaml');
    expect(await repo.read(MANIFEST)).toBe('# Release manifest\nsupport-refund:   # refunds\n  labels:\n    production: 2.1.1   # live\n');
    await repo.edit({
      [MANIFEST]: (t) => `${t}  canary: { version: 2.1.1, steps: [5, 100], step: 0, started_at: "2026-11-30T10:00:00Z" }\n`,
    });
    await repo.commit('promote 2.1.1');

    const calls = fixture.server.calls.length;
    const rolled = await cli(repo, 'rollback', 'support-refund');
    expect(rolled.code).toBe(0);
    expect(rolled.stdout).toContain('support-refund production: 2.1.1 -> 2.1.0 (rollback)');
    expect(rolled.stdout).toContain('The canary of 2.1.1 was removed.');
    expect(await repo.read(MANIFEST)).toBe('# Release manifest\nsupport-refund:   # refunds\n  labels:\n    production: 2.1.0   # live\n');
    expect(fixture.server.calls.length).toBe(calls);
  });

  it('rollback in a depth-1 clone fetches the history it needs', async () => {
    const repo = await releasedExample();
    await repo.edit({ [MANIFEST]: 'support-refund:\n  labels:\n    production: 2.1.0\n' });
    await repo.commit('production 2.1.0');
    for (let i = 0; i < 3; i++) {
      await repo.edit({ 'README.md': (t) => `${t}\n${i}` });
      await repo.commit(`unrelated ${i}`);
    }
    await repo.edit({ [SUPPORT]: bumpPatch, 'partials/tone.njk': (t) => `${t}Be brief.\n` });
    await repo.commit('2.1.1');
    expect((await cli(repo, 'release')).code).toBe(0);
    expect((await cli(repo, 'promote', 'support-refund', '2.1.1')).code).toBe(0);
    await repo.commit('promote');
    const bare = `${repo.scratch}/origin.git`;
    await git(repo.scratch, 'clone', '-q', '--bare', repo.dir, bare);
    const shallow = join(repo.scratch, 'shallow');
    await git(repo.scratch, 'clone', '-q', '--depth=1', `file://${bare}`, shallow);
    const rolled = await runCli(['rollback', 'support-refund'], fixture.server.env(), shallow);
    expect(rolled.stderr).toBe('');
    expect(rolled.code).toBe(0);
    expect(readFileSync(join(shallow, MANIFEST), 'utf8')).toBe('support-refund:\n  labels:\n    production: 2.1.0\n');
  });

  it('rollback without history to go back to says what to do', async () => {
    const repo = await releasedExample();
    await repo.edit({ [MANIFEST]: 'support-refund:\n  labels:\n    production: 2.1.0\n' });
    await repo.commit('production 2.1.0');
    const { code, stderr } = await cli(repo, 'rollback', 'support-refund');
    expect(code).toBe(2);
    expect(stderr).toContain('has pointed at 2.1.0 since it was first set');
    expect(stderr).toContain('--to VERSION');
  });

  it('promote refuses a version that is neither released nor current (exit 2)', async () => {
    const repo = await releasedExample();
    const { code, stderr } = await cli(repo, 'promote', 'support-refund', '9.9.9');
    expect(code).toBe(2);
    expect(stderr).toContain("support-refund 9.9.9 is neither released nor the prompt's current version (released: 2.1.0, current: 2.1.0)");
    expect(existsSync(join(repo.dir, MANIFEST))).toBe(false);
  });

  it('publish writes manifest.json and content-addressed artifacts, byte for byte', async () => {
    const repo = await releasedExample();
    await repo.edit({
      [MANIFEST]:
        'support-refund:\n  labels: { production: 2.1.0, staging: 2.1.0 }\n  segments:\n    enterprise: { production: 2.1.0 }\n' +
        'intent-classifier:\n  labels: { production: 1.0.4 }\n',
    });
    const head = await repo.commit('labels');
    const out = join(repo.scratch, 'bundle');
    const { code, stdout } = await runCli(['publish', '--out', out], fixture.server.env(), repo.dir);
    expect(code).toBe(0);
    expect(stdout).toContain('Published 2 prompts and 2 artifacts');
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.schema).toBe('promptgate/manifest@1');
    expect(manifest.commit).toBe(head);
    // Every artifact file's name is the sha256 of its bytes, and its bytes are the archive's.
    for (const file of readdirSync(join(out, 'artifacts'))) {
      const bytes = readFileSync(join(out, 'artifacts', file));
      expect(file).toBe(`${createHash('sha256').update(bytes).digest('hex')}.json`);
    }
    const sha = (path: string) =>
      createHash('sha256')
        .update(readFileSync(join(repo.dir, path)))
        .digest('hex');
    const support = { version: '2.1.0', sha256: sha(ARCHIVE) };
    expect(manifest.prompts['support-refund']).toEqual({
      labels: { production: support, staging: support },
      segments: { enterprise: { production: support } },
    });
    expect(readFileSync(join(out, 'artifacts', `${support.sha256}.json`), 'utf8')).toBe(await repo.read(ARCHIVE));
  });

  it('publish refuses --out that is a file (exit 2), naming it', async () => {
    const repo = await releasedExample();
    const out = join(repo.scratch, 'bundle.json');
    writeFileSync(out, '{}\n');
    const { code, stderr } = await runCli(['publish', '--out', out], fixture.server.env(), repo.dir);
    expect(code).toBe(2);
    expect(stderr).toContain(`Nothing published: ${out} is a file; publish writes a directory there. Choose another directory.`);
    expect(stderr).not.toMatch(NO_STACK);
    expect(readFileSync(out, 'utf8')).toBe('{}\n');
  });

  it('publish refuses a manifest pointing at an unreleased version, writing nothing', async () => {
    const repo = await releasedExample();
    await repo.edit({ [MANIFEST]: 'support-refund:\n  labels:\n    production: 2.0.0\n' });
    const out = join(repo.scratch, 'bundle');
    const { code, stderr } = await runCli(['publish', '--out', out], fixture.server.env(), repo.dir);
    expect(code).toBe(2);
    expect(stderr).toContain(
      '.promptgate/releases.yaml:3:17: support-refund.labels.production names support-refund 2.0.0, which is not released',
    );
    expect(existsSync(join(out, 'manifest.json'))).toBe(false);
  });
});
