import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { UserError } from '../errors.js';

const exec = promisify(execFile);

export type ChangeStatus = 'added' | 'modified' | 'removed' | 'renamed';

export interface ChangedFile {
  path: string;
  status: ChangeStatus;
  /** Old path of a renamed file. */
  previous?: string;
}

/** A git command's standard output, as text. */
export async function git(root: string, args: string[]): Promise<string> {
  const { stdout } = await exec('git', args, { cwd: root, maxBuffer: 256 * 1024 * 1024 });
  return stdout;
}

async function succeeds(root: string, args: string[]): Promise<boolean> {
  return git(root, args).then(
    () => true,
    () => false,
  );
}

export function hasCommit(root: string, sha: string): Promise<boolean> {
  return succeeds(root, ['cat-file', '-e', `${sha}^{commit}`]);
}

/** Commits known to be present, per repository: a run asks about its base more than once. */
const present = new Map<string, Promise<void>>();

export async function revParse(root: string, rev: string): Promise<string> {
  let sha: string;
  try {
    sha = (await git(root, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`])).trim();
  } catch {
    throw new UserError(await whyNoCommit(root, rev));
  }
  // A commit git resolved is present: ensureCommit need not ask again.
  present.set(`${root}\0${sha}`, Promise.resolve());
  return sha;
}

/** Names the actual problem: outside a repository or before the first commit, `HEAD` is not the user's mistake. */
async function whyNoCommit(root: string, rev: string): Promise<string> {
  if (!(await succeeds(root, ['rev-parse', '--git-dir'])))
    return `${root} is not a git repository: promptgate compares commits, so run it inside one (git init, then commit your prompts).`;
  if (!(await succeeds(root, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'])))
    return `The git repository in ${root} has no commits yet: commit your prompts first (git add -A && git commit -m "Add prompts").`;
  return `git cannot resolve "${rev}" to a commit in ${root}: fetch it, or name a branch, tag or sha that exists.`;
}

/** Commits that changed `path` (repo-relative), newest first; empty outside git or before the first commit. */
export async function fileHistory(root: string, path: string): Promise<string[]> {
  const out = await git(root, ['log', '--format=%H', '--', path]).catch(() => '');
  return out.split('\n').filter((sha) => sha !== '');
}

export interface Head {
  sha: string | null;
  ref: string | null;
}

/**
 * HEAD's commit and branch and `rev`'s commit, in one git call: a spawn costs the main thread
 * 5-15 ms on a small VM, more as the process grows. Undefined when git refuses or answers
 * anything but three lines (before the first commit, an unknown rev, a range): callers then ask
 * one question at a time, for the answers and messages each gives.
 */
export async function headAndCommit(root: string, rev: string): Promise<{ head: Head; sha: string } | undefined> {
  const out = await git(root, ['rev-parse', 'HEAD', `${rev}^{commit}`, '--abbrev-ref', 'HEAD']).catch(() => '');
  const [head, sha, branch, ...more] = out.trim().split('\n');
  if (!head || !sha || !branch || more.length || !isSha(head) || !isSha(sha)) return undefined;
  for (const commit of [head, sha]) present.set(`${root}\0${commit}`, Promise.resolve());
  // --abbrev-ref names a detached HEAD "HEAD"; symbolic-ref (currentHead) has no answer then.
  return { head: { sha: head, ref: branch === 'HEAD' ? null : branch }, sha };
}

function isSha(text: string): boolean {
  return /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(text);
}

/** The checked-out commit and branch (null when detached or outside git), for reports. */
export async function currentHead(root: string): Promise<Head> {
  const [sha, ref] = await Promise.all(
    [
      ['rev-parse', '--verify', '--quiet', 'HEAD'],
      ['symbolic-ref', '--quiet', '--short', 'HEAD'],
    ].map((args) =>
      git(root, args).then(
        (s) => s.trim() || null,
        () => null,
      ),
    ),
  );
  return { sha: sha ?? null, ref: ref ?? null };
}

/**
 * The checked-out commit and its parents, read from the commit object itself, so a shallow
 * clone (whose parents are cut off) still names them. Null outside git.
 */
export async function headCommit(root: string): Promise<{ sha: string; parents: string[] } | null> {
  try {
    const sha = (await git(root, ['rev-parse', '--verify', '--quiet', 'HEAD'])).trim();
    const object = await git(root, ['cat-file', 'commit', sha]);
    const header = object.slice(0, object.indexOf('\n\n'));
    return { sha, parents: [...header.matchAll(/^parent ([0-9a-f]+)$/gm)].map((m) => m[1]!) };
  } catch {
    return null;
  }
}

/**
 * The checkout lacks what the change is measured against: the base commit, or the history
 * joining it to HEAD. Outlets add how their platform fetches it.
 */
export class MissingHistoryError extends UserError {
  constructor(
    message: string,
    readonly missing: 'commit' | 'history',
  ) {
    super(message);
  }
}

/**
 * Makes sure a commit is present locally. actions/checkout clones with depth 1, so the
 * base of a pull request is usually missing: fetch just that commit.
 */
export function ensureCommit(root: string, sha: string): Promise<void> {
  const key = `${root}\0${sha}`;
  let done = present.get(key);
  if (!done) {
    done = fetchIfMissing(root, sha);
    present.set(key, done);
    done.catch(() => present.delete(key));
  }
  return done;
}

async function fetchIfMissing(root: string, sha: string): Promise<void> {
  if (await hasCommit(root, sha)) return;
  try {
    await git(root, ['fetch', '--no-tags', '--no-recurse-submodules', '--depth=1', 'origin', sha]);
  } catch (err) {
    throw new MissingHistoryError(
      `Cannot fetch the base commit ${sha} from origin (${firstLine(err)}). ` +
        'Check that the repository is a clone with an origin the credentials can read.',
      'commit',
    );
  }
}

/**
 * The commit the pull request's change starts from. When HEAD is GitHub's merge commit
 * its first parent is the base; otherwise deepen the shallow history until git finds it.
 * `headSha`: HEAD's commit, when the caller has it already.
 */
export async function mergeBase(root: string, baseSha: string, headSha?: string): Promise<string> {
  const [, head] = await Promise.all([ensureCommit(root, baseSha), headSha ?? revParse(root, 'HEAD')]);
  // The working tree against its own HEAD (the CLI's default): nothing to look up.
  if (head === baseSha) return baseSha;
  // One call for the commit and its parents: "head parent1 [parent2]".
  const firstParent = (await git(root, ['rev-list', '--parents', '-n', '1', head])).trim().split(' ')[1] ?? '';
  if (firstParent === baseSha) return baseSha;
  for (const deepen of [0, 64, 512, 4096]) {
    if (deepen > 0 && !(await succeeds(root, ['fetch', '--no-tags', `--deepen=${deepen}`, 'origin', baseSha, head]))) break;
    const found = await git(root, ['merge-base', baseSha, head]).then(
      (s) => s.trim(),
      () => '',
    );
    if (found) return found;
  }
  if (await succeeds(root, ['fetch', '--no-tags', '--unshallow', 'origin'])) {
    const found = await git(root, ['merge-base', baseSha, head]).then(
      (s) => s.trim(),
      () => '',
    );
    if (found) return found;
  }
  throw new MissingHistoryError(
    `No common history between ${baseSha.slice(0, 7)} and ${head.slice(0, 7)}: fetch the base branch with its history (git fetch --unshallow origin).`,
    'history',
  );
}

/**
 * The change under review: what the working tree changed since the commit the change starts
 * from (mergeBase) on the way from `baseSha`. `headSha`: HEAD's commit, when the caller has it.
 */
export async function changeSince(root: string, baseSha: string, headSha?: string): Promise<ChangedFile[]> {
  return diffFiles(root, await mergeBase(root, baseSha, headSha));
}

/**
 * Files that differ between `from` and `to` (a commit), or the working tree with its
 * untracked files when `to` is omitted.
 */
export async function diffFiles(root: string, from: string, to?: string): Promise<ChangedFile[]> {
  const [out, untracked] = await Promise.all([
    git(root, ['diff', '--name-status', '-z', '--no-renames', '--relative', from, ...(to ? [to] : [])]),
    to ? '' : git(root, ['ls-files', '--others', '--exclude-standard', '-z']),
  ]);
  const parts = out.split('\0');
  const files: ChangedFile[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const code = parts[i]!;
    const path = parts[i + 1]!;
    files.push({ path, status: code.startsWith('A') ? 'added' : code.startsWith('D') ? 'removed' : 'modified' });
  }
  for (const path of untracked.split('\0').filter(Boolean)) files.push({ path, status: 'added' });
  return files;
}

function firstLine(err: unknown): string {
  const text = (err as { stderr?: string }).stderr || (err as Error).message || String(err);
  return text.trim().split('\n').pop() ?? '';
}
