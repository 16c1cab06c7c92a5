// SPEC 14: a pull_request_target run has the base repository's secrets and a write token;
// checking out the pull request's head there runs the author's code (templates, scorer
// scripts) with them. promptgate refuses that unless the workflow says it trusts the authors.
import { headCommit } from '../engine/git/commands.js';
import { UserError } from '../engine/errors.js';
import { INPUT } from './inputs.js';
import type { PullRequestContext } from './pull-request.js';

/**
 * Throws when the event is pull_request_target and the workspace holds the pull request's
 * code: its head commit, or a merge commit of it (refs/pull/N/merge).
 */
export async function refuseUntrustedCheckout(
  eventName: string,
  workspace: string,
  pr: PullRequestContext | undefined,
  allowed: boolean,
): Promise<void> {
  if (eventName !== 'pull_request_target' || !pr || allowed) return;
  const head = await headCommit(workspace);
  if (!head || (head.sha !== pr.head.sha && !head.parents.includes(pr.head.sha))) return;
  throw new UserError(
    `promptgate refuses to run: this pull_request_target run has the pull request's code checked out (${head.sha.slice(0, 12)}). ` +
      "pull_request_target runs with this repository's secrets (your model API keys) and a write token, and promptgate renders " +
      "the pull request's templates and runs its scorer scripts: any pull request author could read the keys or push with the token. " +
      'Safe workflow: run promptgate on the `pull_request` event (a fork pull request gets no secrets there; promptgate still lints ' +
      'and writes the report and job summary), or keep pull_request_target with the default checkout of the base commit. ' +
      `Only if every author of pull requests to this repository is trusted, set the input "${INPUT.allowUntrustedCheckout}: true".`,
  );
}
