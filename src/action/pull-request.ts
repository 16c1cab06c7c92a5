import type { ChangedFile, ChangeStatus } from '../engine/git/commands.js';
import { httpStatus, type Octokit, type Repo } from './github.js';

export interface PullRequestContext {
  number: number;
  base: { sha: string; ref: string };
  head: { sha: string; ref: string };
  /** Whether the accept label is on the PR, and who put it there when the event tells. */
  accept: { present: boolean; by: string | null };
}

/** GitHub lists at most this many files of a pull request; beyond it the list is truncated. */
export const PULL_FILES_CAP = 3000;

interface PullRequestPayload {
  number: number;
  base: { sha: string; ref: string };
  head: { sha: string; ref: string };
  labels?: { name: string }[];
}

/** The parts of a webhook event promptgate reads (GitHub's event JSON has this shape). */
export interface EventPayload {
  action?: string;
  pull_request?: PullRequestPayload;
  label?: { name: string };
  sender?: { login: string };
}

/**
 * The pull request an event is about (pull_request, pull_request_target, and review
 * events all carry one), or undefined for other events (push, schedule, ...).
 */
export function readPullRequest(payload: EventPayload, acceptLabel: string): PullRequestContext | undefined {
  const pr = payload.pull_request;
  if (!pr) return undefined;
  const labels = (pr.labels ?? []).map((l) => l.name);
  const present = labels.includes(acceptLabel);
  // Only a `labeled` event for this very label says who added it; any other event can't.
  const by = present && payload.action === 'labeled' && payload.label?.name === acceptLabel ? (payload.sender?.login ?? null) : null;
  return {
    number: pr.number,
    base: { sha: pr.base.sha, ref: pr.base.ref },
    head: { sha: pr.head.sha, ref: pr.head.ref },
    accept: { present, by },
  };
}

/**
 * Who added the accept label, from the pull request's events, for runs the `labeled` event
 * did not start (a push after labelling). Null when GitHub does not say.
 */
export async function whoAddedLabel(octokit: Octokit, repo: Repo, pullNumber: number, label: string): Promise<string | null> {
  try {
    const events = await octokit.paginate(octokit.rest.issues.listEvents, { ...repo, issue_number: pullNumber, per_page: 100 });
    const added = events.filter((e) => e.event === 'labeled' && (e as { label?: { name?: string } }).label?.name === label).at(-1);
    return added?.actor?.login ?? null;
  } catch {
    return null;
  }
}

/**
 * The pull request's own change as GitHub lists it (the diff from the merge-base), or
 * undefined when the list is unavailable or incomplete, so the engine diffs with git.
 *
 * A rename yields the new path as `renamed` (with `previous`) and the old path as
 * `removed`: the same two paths the git fallback (`--no-renames`) reports, so whatever
 * depended on the old path is affected whichever way the list was made.
 */
export async function listChangedFiles(
  octokit: Octokit | undefined,
  repo: Repo,
  pullNumber: number,
  log: (message: string) => void,
): Promise<ChangedFile[] | undefined> {
  if (!octokit) {
    log('No github-token: finding the changed files with git diff against the base commit.');
    return undefined;
  }
  let listed: { filename: string; status: string; previous_filename?: string }[];
  try {
    listed = await octokit.paginate(octokit.rest.pulls.listFiles, { ...repo, pull_number: pullNumber, per_page: 100 });
  } catch (err) {
    const status = httpStatus(err);
    log(
      `Could not list the pull request's files through the API (${status ? `HTTP ${status}: ` : ''}${(err as Error).message}): using git diff against the base commit instead.`,
    );
    return undefined;
  }
  if (listed.length >= PULL_FILES_CAP) {
    log(
      `GitHub lists at most ${PULL_FILES_CAP} files of a pull request and this one has at least that many: using git diff against the base commit instead.`,
    );
    return undefined;
  }
  return listed.flatMap(toChangedFiles);
}

function toChangedFiles(file: { filename: string; status: string; previous_filename?: string }): ChangedFile[] {
  if (file.status === 'renamed' && file.previous_filename) {
    return [
      { path: file.filename, status: 'renamed', previous: file.previous_filename },
      { path: file.previous_filename, status: 'removed' },
    ];
  }
  const status = STATUS[file.status];
  return status ? [{ path: file.filename, status }] : [];
}

/** GitHub's file statuses; `unchanged` has no effect on any prompt and is dropped. */
const STATUS: Record<string, ChangeStatus | undefined> = {
  added: 'added',
  copied: 'added',
  modified: 'modified',
  changed: 'modified',
  removed: 'removed',
  renamed: 'renamed',
};
