// The CLI asks git for HEAD, the base and the change as an engine command starts (askRefs):
// HEAD and the base in one git call (headAndCommit), falling back to one question at a time
// when git refuses it. Whatever path it takes, the answers must be the ones the separate
// questions give: currentHead, revParse (with its messages) and the engine's own diff.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { askRefs } from '../src/cli/refs.js';
import { currentHead, diffFiles, headAndCommit, mergeBase } from '../src/engine/git/commands.js';

const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

function repository(): { root: string; git: (...args: string[]) => string; commit: (file: string) => string } {
  const root = mkdtempSync(join(tmpdir(), 'promptgate-refs-'));
  roots.push(root);
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: root, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'feature/tone');
  const commit = (file: string) => {
    writeFileSync(join(root, file), file);
    git('add', file);
    git('commit', '-q', '-m', file);
    return git('rev-parse', 'HEAD');
  };
  return { root, git, commit };
}

const pr = (baseRef: string) => ({ mode: 'pr' as const, baseRef });

describe('askRefs', () => {
  it('on a branch: HEAD, its branch, the base and the change since it, as the separate questions give them', async () => {
    const { root, commit } = repository();
    const first = commit('a.txt');
    const second = commit('b.txt');
    writeFileSync(join(root, 'a.txt'), 'edited');
    writeFileSync(join(root, 'new.txt'), 'untracked');
    expect(await headAndCommit(root, 'HEAD~1')).toEqual({ head: { sha: second, ref: 'feature/tone' }, sha: first });

    const refs = askRefs(pr('HEAD~1'), root);
    expect(await refs.head).toEqual(await currentHead(root));
    expect(refs.base?.ref).toBe('HEAD~1');
    expect(await refs.base?.sha).toBe(first);
    const expected = await diffFiles(root, await mergeBase(root, first));
    expect(await refs.changes).toEqual(expected);
    expect(expected).toEqual(
      expect.arrayContaining([
        { path: 'a.txt', status: 'modified' },
        { path: 'b.txt', status: 'added' },
        { path: 'new.txt', status: 'added' },
      ]),
    );
  });

  it('a detached HEAD has no branch, as symbolic-ref says', async () => {
    const { root, git, commit } = repository();
    const sha = commit('a.txt');
    git('checkout', '-q', '--detach');
    expect(await headAndCommit(root, 'HEAD')).toEqual({ head: { sha, ref: null }, sha });
    expect(await askRefs(pr('HEAD'), root).head).toEqual({ sha, ref: null });
    expect(await currentHead(root)).toEqual({ sha, ref: null });
  });

  it('a branch whose name is also a tag keeps the name git disambiguates it with', async () => {
    const { root, git, commit } = repository();
    commit('a.txt');
    git('tag', 'feature/tone');
    const refs = askRefs(pr('feature/tone'), root);
    expect((await refs.head).ref).toBe((await currentHead(root)).ref);
    expect((await refs.head).ref).toBe('heads/feature/tone');
  });

  it.each([
    ['a ref that does not exist', 'no-such-branch'],
    ['a range', 'HEAD~1..HEAD'],
    ['an option', '--all'],
  ])('%s: one call is refused, and the base is asked alone, with its own message', async (_what, ref) => {
    const { root, commit } = repository();
    commit('a.txt');
    const head = commit('b.txt');
    expect(await headAndCommit(root, ref)).toBeUndefined();
    const refs = askRefs(pr(ref), root);
    expect(await refs.head).toEqual({ sha: head, ref: 'feature/tone' });
    await expect(refs.base?.sha).rejects.toThrow(`git cannot resolve "${ref}" to a commit in ${root}: fetch it, or name a branch`);
    await expect(refs.changes).rejects.toThrow(`git cannot resolve "${ref}"`);
  });

  it('before the first commit: the branch without a commit, and a base that says to commit first', async () => {
    const { root } = repository();
    expect(await headAndCommit(root, 'HEAD')).toBeUndefined();
    const refs = askRefs(pr('HEAD'), root);
    expect(await refs.head).toEqual({ sha: null, ref: 'feature/tone' });
    await expect(refs.base?.sha).rejects.toThrow(`The git repository in ${root} has no commits yet: commit your prompts first`);
  });

  it('only eval works out the change; a request naming its base commit asks for HEAD alone', async () => {
    const { root, commit } = repository();
    const sha = commit('a.txt');
    const lint = askRefs({ mode: 'lint', baseRef: 'HEAD' }, root);
    expect(await lint.base?.sha).toBe(sha);
    expect(lint.changes).toBeUndefined();
    const merge = askRefs({ mode: 'pr', base: { sha, ref: 'main' } }, root);
    expect(merge.base).toBeUndefined();
    expect(merge.changes).toBeUndefined();
    expect(await merge.head).toEqual({ sha, ref: 'feature/tone' });
  });
});
