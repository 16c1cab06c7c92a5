import * as core from '@actions/core';
import * as github from '@actions/github';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { annotationsFor } from './action/annotations.js';
import { publishComment } from './action/comment.js';
import { failureMessage } from './action/failure.js';
import type { Octokit } from './action/github.js';
import { INPUT, readInputs, type ActionInputs } from './action/inputs.js';
import { runOutputs } from './action/outputs.js';
import { listChangedFiles, readPullRequest, whoAddedLabel, type EventPayload, type PullRequestContext } from './action/pull-request.js';
import { UserError } from './engine/errors.js';
import { renderMarkdown } from './engine/report/markdown.js';
import { run as runEngine } from './engine/modes/run.js';
import type { Report } from './engine/types.js';
import { BUGS_URL } from './engine/version.js';
import { progressLines } from './progress.js';

/** The action: inputs, pull request, engine, then report, comment, summary, annotations, outputs, verdict. */
export async function run(): Promise<void> {
  try {
    const inputs = readInputs();
    const { context } = github;
    const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
    const pr = readPullRequest(context.payload as EventPayload, inputs.acceptLabel);
    if (inputs.mode === 'pr' && !pr) {
      throw new UserError(
        `mode "pr" needs a pull request, but this run was triggered by a "${context.eventName}" event. ` +
          'Run the action on pull_request, or set the input "mode" to baseline, drift or lint.',
      );
    }
    const octokit = inputs.githubToken ? github.getOctokit(inputs.githubToken, { baseUrl: context.apiUrl }) : undefined;
    const changedFiles = inputs.mode === 'pr' && pr ? await listChangedFiles(octokit, context.repo, pr.number, core.info) : undefined;

    const report = await runEngine({
      root: workspace,
      mode: inputs.mode,
      configPath: inputs.configPath,
      // Production is the PR's base commit; lint uses it for the version rules.
      ...(pr && (inputs.mode === 'pr' || inputs.mode === 'lint') && { base: pr.base }),
      head: pr ? pr.head : { sha: context.sha || null, ref: context.ref || null },
      ...(changedFiles && { changedFiles }),
      baseline: inputs.baseline,
      ...(inputs.concurrency !== undefined && { concurrency: inputs.concurrency }),
      ...(inputs.maxCostUsd !== undefined && { maxCostUsd: inputs.maxCostUsd }),
      accept: pr?.accept.present ?? false,
      failOnRegression: inputs.failOnRegression,
      env: inputs.env,
      onProgress: progressLines(core.info),
      log: core.info,
    });

    const reportPath = resolve(workspace, inputs.reportPath);
    await mkdir(dirname(reportPath), { recursive: true });
    await writeFile(reportPath, `${JSON.stringify(report, null, 2)}\n`);

    const acceptedBy = pr?.accept.present
      ? (pr.accept.by ?? (octokit ? await whoAddedLabel(octokit, context.repo, pr.number, inputs.acceptLabel) : null))
      : null;
    const markdown = renderMarkdown(report, { acceptedBy, acceptLabel: inputs.acceptLabel });
    if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(markdown).write();
    for (const a of annotationsFor(report)) core[a.level](a.message, a.properties);
    const commentUrl = await comment(octokit, inputs, pr, report, markdown);

    for (const [name, value] of Object.entries(runOutputs(report, { reportPath, commentUrl }))) core.setOutput(name, value);
    core.info(`promptgate: ${report.result}. Report written to ${reportPath}.`);
    if (report.result === 'fail') core.setFailed(failureMessage(report, inputs));
  } catch (err) {
    if (err instanceof UserError) {
      // The message already names the file and line where there is one.
      core.setFailed(err.message);
      return;
    }
    const error = err instanceof Error ? err : new Error(String(err));
    core.setFailed(`promptgate failed unexpectedly (${error.message}). This is a bug: please report it with this log at ${BUGS_URL}`);
    if (core.isDebug() && error.stack) core.debug(error.stack);
  }
}

/** The sticky comment, in pr mode only, when commenting is on and there is a token. */
async function comment(
  octokit: Octokit | undefined,
  inputs: ActionInputs,
  pr: PullRequestContext | undefined,
  report: Report,
  body: string,
): Promise<string | null> {
  if (inputs.mode !== 'pr' || !pr || !inputs.comment) return null;
  if (!octokit) {
    core.warning(`No ${INPUT.githubToken}: promptgate cannot comment. The report is in the job summary.`);
    return null;
  }
  const create = report.prompts.length > 0;
  return publishComment(octokit, github.context.repo, pr.number, { body, create }, { info: core.info, warning: core.warning });
}
