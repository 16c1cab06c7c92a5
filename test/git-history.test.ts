// A checkout without the history a change is measured against is a UserError that says what
// is missing (MissingHistoryError); the action adds how actions/checkout fetches it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { actionFailure } from '../src/action/checkout-hint.js';
import { UserError } from '../src/engine/errors.js';
import { MissingHistoryError, ensureCommit, mergeBase } from '../src/engine/git/commands.js';

const root = mkdtempSync(join(tmpdir(), 'promptgate-history-'));
const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: root, encoding: 'utf8' }).trim();

function commit(file: string): string {
  writeFileSync(join(root, file), file);
  git('add', file);
  git('commit', '-q', '-m', file);
  return git('rev-parse', 'HEAD');
}

git('init', '-q', '-b', 'main');
const base = commit('a.txt');
git('checkout', '-q', '--orphan', 'unrelated');
const head = commit('b.txt');

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('missing git history', () => {
  it('no common history: says to fetch the base with its history', async () => {
    const err = await mergeBase(root, base, head).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingHistoryError);
    expect((err as MissingHistoryError).missing).toBe('history');
    expect((err as Error).message).toBe(
      `No common history between ${base.slice(0, 7)} and ${head.slice(0, 7)}: fetch the base branch with its history (git fetch --unshallow origin).`,
    );
    expect((err as Error).message).not.toContain('actions/checkout');
  });

  it('a base commit that cannot be fetched: names it and says what the clone needs', async () => {
    const absent = 'f'.repeat(40);
    const err = await ensureCommit(root, absent).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingHistoryError);
    expect((err as MissingHistoryError).missing).toBe('commit');
    expect((err as Error).message).toMatch(
      new RegExp(`^Cannot fetch the base commit ${absent} from origin \\(.+\\)\\. Check that the repository`),
    );
  });

  it('the action adds how actions/checkout fetches what is missing, and nothing to other errors', async () => {
    const history = (await mergeBase(root, base, head).catch((e: unknown) => e)) as MissingHistoryError;
    expect(actionFailure(history)).toBe(`${history.message} In the workflow, check out with actions/checkout and \`fetch-depth: 0\`.`);
    const commit = (await ensureCommit(root, 'e'.repeat(40)).catch((e: unknown) => e)) as MissingHistoryError;
    expect(actionFailure(commit)).toMatch(
      / In the workflow, check out with actions\/checkout, and give its token read access to the repository\.$/,
    );
    expect(actionFailure(new UserError('promptgate.yaml:3: bad key'))).toBe('promptgate.yaml:3: bad key');
  });
});
