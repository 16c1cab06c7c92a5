// What the release commands read from git: the commit a release comes from, the permalink
// of a prompt file, and where a label pointed before its last move (for rollback).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { UserError } from '../errors.js';

const exec = promisify(execFile);

async function git(root: string, args: string[]): Promise<string> {
  const { stdout } = await exec('git', args, { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

async function tryGit(root: string, args: string[]): Promise<string | undefined> {
  return git(root, args).then(
    (out) => out,
    () => undefined,
  );
}

/** The commit and its committer time (UTC): the same on every clone, so archives are byte-identical. */
export async function commitOf(root: string, rev = 'HEAD'): Promise<{ sha: string; date: string }> {
  const out = await tryGit(root, ['show', '-s', '--format=%H %cI', rev]);
  if (!out) throw new UserError(`Cannot read commit ${rev} in ${root}: release from a git checkout with at least one commit.`);
  const [sha, date] = out.trim().split(' ');
  return { sha: sha!, date: new Date(date!).toISOString() };
}

/**
 * `https://github.com/OWNER/REPO/blob/SHA/PATH` when origin is on GitHub (or on the
 * Actions server named by GITHUB_SERVER_URL); undefined otherwise.
 */
export async function permalink(root: string, sha: string, path: string, serverUrl?: string): Promise<string | undefined> {
  const remote = (await tryGit(root, ['remote', 'get-url', 'origin']))?.trim();
  if (!remote) return undefined;
  const hosts = new Set(['github.com', ...(serverUrl ? [new URL(serverUrl).host] : [])]);
  const m = /^(?:https?:\/\/(?:[^@/]+@)?|ssh:\/\/git@|git@)([^/:]+)[/:]([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(remote);
  if (!m || !hosts.has(m[1]!)) return undefined;
  return `https://${m[1]}/${m[2]}/${m[3]}/blob/${sha}/${path.split('/').map(encodeURIComponent).join('/')}`;
}

/** A label's value in one manifest text, or undefined (a manifest that does not parse counts as unset). */
function labelIn(text: string | undefined, name: string, label: string, segment?: string): string | undefined {
  if (text === undefined) return undefined;
  try {
    const manifest = parse(text) as Record<
      string,
      { labels?: Record<string, unknown>; segments?: Record<string, Record<string, unknown>> }
    >;
    const value = segment ? manifest?.[name]?.segments?.[segment]?.[label] : manifest?.[name]?.labels?.[label];
    return value === undefined || value === null ? undefined : String(value);
  } catch {
    return undefined;
  }
}

/**
 * The version `label` pointed at before it was last set to `current`, from the manifest's
 * history (newest first). A shallow checkout (actions/checkout's depth 1) is deepened from
 * origin until the answer is found; when it cannot be, the error says what to fetch.
 */
export async function previousTarget(
  root: string,
  manifestPath: string,
  pointer: { name: string; label: string; segment?: string; current: string },
): Promise<string> {
  const where = `${pointer.segment ? `segment ${pointer.segment}'s ` : ''}${pointer.label} of ${pointer.name}`;
  for (const deepen of [0, 50, 500, 5000, Infinity]) {
    if (deepen > 0) {
      if ((await tryGit(root, ['rev-parse', '--is-shallow-repository']))?.trim() !== 'true') break;
      const args =
        deepen === Infinity ? ['fetch', '--no-tags', '--unshallow', 'origin'] : ['fetch', '--no-tags', `--deepen=${deepen}`, 'origin'];
      if ((await tryGit(root, args)) === undefined) {
        throw new UserError(
          `The history of ${manifestPath} is not in this shallow checkout and fetching it from origin failed: ` +
            `run "git fetch --unshallow origin" (or check out with fetch-depth: 0), or name the version with --to VERSION.`,
        );
      }
    }
    const log = (await tryGit(root, ['log', '--format=%H', '--', manifestPath]))?.split('\n').filter(Boolean) ?? [];
    for (const sha of log) {
      const text = await tryGit(root, ['show', `${sha}:./${manifestPath}`]);
      const value = labelIn(text, pointer.name, pointer.label, pointer.segment);
      if (value !== undefined && value !== pointer.current) return value;
    }
  }
  throw new UserError(
    `The ${where} has pointed at ${pointer.current} since it was first set (per the history of ${manifestPath}): ` +
      `there is nothing to roll back to; name the version with --to VERSION.`,
  );
}

/** Which of `files` differ from HEAD in the working tree (modified, staged, untracked). */
export async function uncommitted(root: string, files: string[]): Promise<string[]> {
  if (!files.length) return [];
  const out = (await tryGit(root, ['status', '--porcelain', '-z', '--untracked-files=all', '--', ...files])) ?? '';
  return out
    .split('\0')
    .filter((entry) => entry.length > 3)
    .map((entry) => entry.slice(3));
}
