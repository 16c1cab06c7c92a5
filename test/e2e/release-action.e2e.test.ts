// Action `mode: release` end to end: `node dist/index.js` with the runner's environment on a
// push to main, in a git repository made from fixtures/example, models answered by the
// loopback example model through the real SDKs.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useExampleFixture } from '../helpers/example-fixture.js';
import type { TempRepo } from '../helpers/example-repo.js';
import { git, runAction } from './harness.js';

const MANIFEST = '.promptgate/releases.yaml';
const SUPPORT = 'prompts/support-refund.prompt.yaml';
const ARCHIVES = [
  '.promptgate/registry/intent-classifier/1.0.4.json',
  '.promptgate/registry/support-refund/2.1.0.json',
  '.promptgate/registry/ticket-summary/1.3.0.json',
];
const NO_STACK = /^\s+at /m;

const fixture = useExampleFixture();
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** The action as a push to main runs it; it calls no GitHub API, so the GitHub address is never used. */
async function releaseOnPush(repo: TempRepo, inputs: Record<string, string>) {
  const sha = await repo.git('rev-parse', 'HEAD');
  return runAction({
    workspace: repo.dir,
    event: { name: 'push', payload: { ref: 'refs/heads/main', after: sha } },
    inputs: { mode: 'release', ...inputs },
    github: { url: 'http://127.0.0.1:9' } as never,
    model: fixture.server,
    sha,
  });
}

/** The checkout actions/checkout makes on a push: depth 1, origin on GitHub. */
async function shallowCheckout(repo: TempRepo): Promise<TempRepo> {
  const bare = join(repo.scratch, 'origin.git');
  const dir = join(repo.scratch, 'checkout');
  await git(repo.scratch, 'clone', '-q', '--bare', repo.dir, bare);
  await git(repo.scratch, 'clone', '-q', '--depth=1', pathToFileURL(bare).href, dir);
  await git(dir, 'remote', 'set-url', 'origin', 'https://github.com/acme/prompts.git');
  return {
    ...repo,
    dir,
    read: (path) => readFile(join(dir, path), 'utf8'),
    git: (...args) => git(dir, ...args),
    async commit(message) {
      await git(dir, 'add', '-A');
      await git(dir, 'commit', '-q', '--allow-empty', '-m', message);
      return git(dir, 'rev-parse', 'HEAD');
    },
  };
}

describe('action mode release', () => {
  it('archives every current version, publishes the bundle, and sets released and manifest', async () => {
    const repo = await fixture.repo();
    await repo.edit({
      [MANIFEST]: 'support-refund:\n  labels: { production: 2.1.0 }\nintent-classifier:\n  labels: { production: 1.0.4 }\n',
    });
    const head = await repo.commit('labels');
    const checkout = await shallowCheckout(repo);

    const run = await releaseOnPush(checkout, { 'publish-dir': 'site/prompts' });
    expect(run.stderr).not.toMatch(NO_STACK);
    expect(run.code).toBe(0);
    expect(run.outputs.result).toBe('pass');
    expect(run.outputs.released!.split('\n')).toEqual(ARCHIVES);
    for (const path of ARCHIVES) expect(JSON.parse(await checkout.read(path))).toMatchObject({ schema: 'promptgate/artifact@1' });
    // The archive links the source at the released commit on GitHub.
    expect(JSON.parse(await checkout.read(ARCHIVES[1]!)).source).toEqual({
      path: SUPPORT,
      commit: head,
      url: `https://github.com/acme/prompts/blob/${head}/${SUPPORT}`,
    });
    expect(fixture.server.calls.length).toBeGreaterThan(0);

    const bundle = join(checkout.dir, 'site/prompts');
    expect(run.outputs.manifest).toBe(join(bundle, 'manifest.json'));
    const manifest = JSON.parse(readFileSync(run.outputs.manifest!, 'utf8'));
    expect(manifest).toMatchObject({ schema: 'promptgate/manifest@1', commit: head });
    // Each artifact file is named by the sha256 of its bytes, and those bytes are an archive file's.
    const artifacts = readdirSync(join(bundle, 'artifacts')).sort();
    for (const file of artifacts) expect(file).toBe(`${sha256(readFileSync(join(bundle, 'artifacts', file)))}.json`);
    const ref = (path: string, version: string) => ({ version, sha256: sha256(readFileSync(join(checkout.dir, path))) });
    const support = ref(ARCHIVES[1]!, '2.1.0');
    const intent = ref(ARCHIVES[0]!, '1.0.4');
    expect(manifest.prompts).toEqual({
      'support-refund': { labels: { production: support }, segments: {} },
      'intent-classifier': { labels: { production: intent }, segments: {} },
    });
    expect(artifacts).toEqual([`${support.sha256}.json`, `${intent.sha256}.json`].sort());
    expect(readFileSync(join(bundle, 'artifacts', `${support.sha256}.json`), 'utf8')).toBe(await checkout.read(ARCHIVES[1]!));
    expect(run.summary).toContain('released 3 prompt versions');
    expect(run.summary).toContain('site/prompts/manifest.json');

    // The workflow commits the archive; the next push releases nothing, calls no model, and publishes again.
    await checkout.commit('Release prompts');
    fixture.server.reset();
    const again = await releaseOnPush(checkout, { 'publish-dir': 'site/prompts' });
    expect(again.code).toBe(0);
    expect(again.outputs).toMatchObject({ result: 'pass', released: '', manifest: join(bundle, 'manifest.json') });
    expect(again.summary).toContain('nothing to release: every current version is archived');
    expect(fixture.server.calls).toHaveLength(0);
  });

  it('without publish-dir archives only: manifest is empty', async () => {
    const repo = await fixture.repo();
    const run = await releaseOnPush(repo, {});
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ result: 'pass', manifest: '' });
    expect(run.outputs.released!.split('\n')).toEqual(ARCHIVES);
  });

  it('a refused release still publishes what is archived, so a merged rollback reaches applications', async () => {
    const repo = await fixture.repo();
    await repo.edit({ [MANIFEST]: 'support-refund:\n  labels: { production: 2.1.0 }\n' });
    await repo.commit('labels');
    expect((await releaseOnPush(repo, {})).code).toBe(0);
    await repo.commit('Release prompts');
    // A new version with a lint error (a floating model alias) cannot be released.
    await repo.edit({
      [SUPPORT]: (t) => t.replace('version: 2.1.0', 'version: 2.2.0').replace('name: gpt-4o-2024-11-20', 'name: gpt-4o'),
    });
    await repo.commit('2.2.0 on a floating alias');
    const run = await releaseOnPush(repo, { 'publish-dir': 'bundle' });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/::error title=promptgate model-unpinned,file=prompts\/support-refund\.prompt\.yaml/);
    expect(run.outputs).toMatchObject({ result: 'fail', released: '', manifest: join(repo.dir, 'bundle/manifest.json') });
    const manifest = JSON.parse(readFileSync(run.outputs.manifest!, 'utf8'));
    expect(manifest.prompts['support-refund'].labels.production.version).toBe('2.1.0');
    expect(existsSync(join(repo.dir, '.promptgate/registry/support-refund/2.2.0.json'))).toBe(false);
  });

  it('refuses a publish-dir that is a file, before any model call or write', async () => {
    const repo = await fixture.repo();
    await repo.edit({ 'site.json': '{}\n' });
    const run = await releaseOnPush(repo, { 'publish-dir': 'site.json' });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '::error::input "publish-dir" must be a directory to write the bundle to (it is created when missing), but that path is a file; got "site.json"',
    );
    expect(run.stdout + run.stderr).not.toMatch(NO_STACK);
    expect(fixture.server.calls).toHaveLength(0);
    expect(existsSync(join(repo.dir, '.promptgate/registry'))).toBe(false);
  });

  it('a manifest naming an unreleased version: nothing released, nothing published, the failure names file and line', async () => {
    const repo = await fixture.repo();
    await repo.edit({ [MANIFEST]: 'support-refund:\n  labels:\n    production: 9.9.9\n' });
    await repo.commit('a version that does not exist');
    const run = await releaseOnPush(repo, { 'publish-dir': 'bundle' });
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ result: 'fail', released: '', manifest: '' });
    expect(run.stdout).toContain(
      '::error title=promptgate release-version-missing,file=.promptgate/releases.yaml,line=3,col=17::support-refund.labels.production names support-refund 9.9.9',
    );
    expect(run.stdout).toContain(
      'Nothing published: .promptgate/releases.yaml:3:17: support-refund.labels.production names support-refund 9.9.9',
    );
    expect(run.stdout + run.stderr).not.toMatch(NO_STACK);
    expect(existsSync(join(repo.dir, '.promptgate/registry'))).toBe(false);
    expect(existsSync(join(repo.dir, 'bundle/manifest.json'))).toBe(false);
  });
});
