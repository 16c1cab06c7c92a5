import { COMMENT_MARKER } from '../github/comment-format.js';
import { httpStatus, type Octokit, type Repo } from './github.js';

/** Author of every comment made with a workflow's GITHUB_TOKEN. */
export const GITHUB_TOKEN_LOGIN = 'github-actions[bot]';

/** What a workflow needs to let promptgate comment. */
export const PERMISSIONS_BLOCK = 'permissions:\n  contents: read\n  pull-requests: write';

export interface CommentLog {
  info(message: string): void;
  warning(message: string): void;
}

export interface StickyComment {
  body: string;
  /** False when no prompt is affected: an existing comment is updated to say so, but none is started. */
  create: boolean;
}

/**
 * Posts the report as the pull request's one promptgate comment: the comment that carries
 * the marker and was written by this token's identity is edited in place, so successive
 * runs never add a second one, and a marker quoted by someone else is left alone.
 * REST only, so it works on GitHub Enterprise Server. Returns the comment's URL, or null
 * when there is none; a refusal (fork PR, read-only token) is a warning, not a failure.
 */
export async function publishComment(
  octokit: Octokit,
  repo: Repo,
  issueNumber: number,
  comment: StickyComment,
  log: CommentLog,
): Promise<string | null> {
  const body = comment.body.includes(COMMENT_MARKER) ? comment.body : `${COMMENT_MARKER}\n${comment.body}`;
  try {
    const author = await tokenLogin(octokit);
    const comments = await octokit.paginate(octokit.rest.issues.listComments, { ...repo, issue_number: issueNumber, per_page: 100 });
    const ours = comments.filter((c) => c.body?.includes(COMMENT_MARKER));
    const existing = author
      ? ours.find((c) => c.user?.login === author)
      : (ours.find((c) => c.user?.login === GITHUB_TOKEN_LOGIN) ?? ours.find((c) => c.user?.type === 'Bot'));
    if (existing) {
      const { data } = await octokit.rest.issues.updateComment({ ...repo, comment_id: existing.id, body });
      log.info(`Updated the promptgate comment: ${data.html_url}`);
      return data.html_url;
    }
    if (!comment.create) {
      log.info('No prompt is affected by this pull request and there is no earlier promptgate comment: not commenting.');
      return null;
    }
    const { data } = await octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body });
    log.info(`Posted the promptgate comment: ${data.html_url}`);
    return data.html_url;
  } catch (err) {
    const status = httpStatus(err);
    if (status === undefined) throw err;
    log.warning(whyNoComment(status, (err as Error).message, issueNumber));
    return null;
  }
}

/**
 * The login this token comments as, or undefined for an installation token: `GET /user`
 * answers 401/403 for a workflow's GITHUB_TOKEN (comments by github-actions[bot]) and for a
 * GitHub App's token (comments by `<app>[bot]`). Either way the author is a Bot account,
 * which no person can impersonate by pasting the marker.
 */
async function tokenLogin(octokit: Octokit): Promise<string | undefined> {
  try {
    return (await octokit.rest.users.getAuthenticated()).data.login;
  } catch (err) {
    const status = httpStatus(err);
    if (status === 401 || status === 403) return undefined;
    throw err;
  }
}

function whyNoComment(status: number, message: string, issueNumber: number): string {
  if (status === 401 || status === 403 || status === 404) {
    return (
      `promptgate could not comment on pull request #${issueNumber}: GitHub answered ${status} (${message}). ` +
      'A pull request from a fork, or a token without write access to pull requests, cannot comment. ' +
      'The report is in the job summary and the check still reflects the gate. ' +
      `To get the comment on pull requests from this repository, give the job:\n${PERMISSIONS_BLOCK}`
    );
  }
  return `promptgate could not comment on pull request #${issueNumber}: GitHub answered ${status} (${message}). The report is in the job summary and the check still reflects the gate.`;
}
