import * as core from '@actions/core';
import * as github from '@actions/github';
import { mkdir } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { glob } from 'tinyglobby';
import { annotationsFor } from './action/annotations.js';
import { runCanaryMode } from './action/canary.js';
import { publishComment } from './action/comment.js';
import { failureMessage } from './action/failure.js';
import type { Octokit } from './action/github.js';
import { INPUT, readInputs, type ActionInputs } from './action/inputs.js';
import { OUTPUT, runOutputs } from './action/outputs.js';
import { refuseUntrustedCheckout } from './action/untrusted-checkout.js';
import { listChangedFiles, readPullRequest, whoAddedLabel, type EventPayload, type PullRequestContext } from './action/pull-request.js';
import { UserError } from './engine/errors.js';
import { writeHtmlReport } from './engine/report/html/write.js';
import { writeJsonReport } from './engine/report/json.js';
import { renderMarkdown } from './engine/report/markdown.js';
import { COMMENT_FORMAT } from './github/comment-format.js';
import { readPartialReports } from './engine/modes/shard.js';
import { run as runEngine } from './engine/modes/run.js';
import type { Mode, Report } from './engine/types.js';
import { BUGS_URL } from './engine/version.js';
import { progressLines } from './progress.js';
import { actionFailure } from './action/checkout-hint.js';

/** The action: inputs, pull request, engine, then report, comment, summary, annotations, outputs, verdict. */
export async function run(): Promise<void> {
  try {
    const inputs = readInputs();
    if (inputs.mode === 'canary') return await runCanaryMode(inputs, process.env.GITHUB_WORKSPACE ?? process.cwd());
    const { context } = github;
    const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
    // A merge replays the run its shards made, in their mode, on their samples.
    const partials =
      inputs.mode === 'merge'
        ? await readPartialReports(await glob(inputs.reports ?? '', { cwd: workspace, absolute: true }), {
            searched: `the input "${INPUT.reports}" (${inputs.reports})`,
            describe: (f) => relative(workspace, f),
          })
        : undefined;
    const mode: Mode = partials ? partials[0]!.mode : (inputs.mode as Mode);
    const pr = readPullRequest(context.payload as EventPayload, inputs.acceptLabel);
    if (mode === 'pr' && !pr) {
      throw new UserError(
        `mode "pr" needs a pull request, but this run was triggered by a "${context.eventName}" event. ` +
          'Run the action on pull_request, or set the input "mode" to baseline, drift, lint or release.',
      );
    }
    await refuseUntrustedCheckout(context.eventName, workspace, pr, inputs.allowUntrustedCheckout);
    const octokit = inputs.githubToken ? github.getOctokit(inputs.githubToken, { baseUrl: context.apiUrl }) : undefined;
    const changedFiles = mode === 'pr' && pr ? await listChangedFiles(octokit, context.repo, pr.number, core.info) : undefined;

    const report = await runEngine({
      root: workspace,
      mode,
      ...(inputs.shard && { shard: inputs.shard }),
      ...(partials && { merge: partials }),
      ...(inputs.publishDir && { publishDir: inputs.publishDir }),
      configPath: inputs.configPath,
      // Production is the PR's base commit; lint uses it for the version rules.
      ...(pr && (mode === 'pr' || mode === 'lint') && { base: pr.base }),
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
    await writeJsonReport(reportPath, report);
    if (inputs.shard && !report.stopped) {
      // A partial report has no verdict of its own: the merge job comments and decides.
      const line = `promptgate: shard ${inputs.shard.index}/${inputs.shard.count} evaluated ${report.prompts.reduce((n, p) => n + p.samples, 0)} samples; its partial report is ${reportPath}, for mode merge.`;
      if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(`${line}\n`).write();
      core.setOutput(OUTPUT.report, reportPath);
      core.info(line);
      return;
    }
    if (inputs.htmlReportPath) {
      const htmlPath = resolve(workspace, inputs.htmlReportPath);
      await writeHtmlReport(htmlPath, report);
      core.info(`promptgate: HTML report written to ${htmlPath}.`);
    }

    const acceptedBy = pr?.accept.present
      ? (pr.accept.by ?? (octokit ? await whoAddedLabel(octokit, context.repo, pr.number, inputs.acceptLabel) : null))
      : null;
    const markdown = renderMarkdown(report, {
      ...COMMENT_FORMAT,
      acceptedBy,
      acceptLabel: inputs.acceptLabel,
      gateOffNote: `These do not fail the check: \`${INPUT.failOnRegression}\` is off.`,
    });
    if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(markdown).write();
    for (const a of annotationsFor(report)) core[a.level](a.message, a.properties);
    const commentUrl = await comment(octokit, inputs, pr, report, markdown);

    for (const [name, value] of Object.entries(runOutputs(report, { reportPath, commentUrl }))) core.setOutput(name, value);
    core.info(`promptgate: ${report.result}. Report written to ${reportPath}.`);
    if (report.result === 'fail') core.setFailed(failureMessage(report, inputs));
  } catch (err) {
    if (err instanceof UserError) {
      // The message already names the file and line where there is one.
      core.setFailed(actionFailure(err));
      return;
    }
    const error = err instanceof Error ? err : new Error(String(err));
    core.setFailed(`promptgate failed unexpectedly (${error.message}). This is a bug: please report it with this log at ${BUGS_URL}`);
    if (core.isDebug() && error.stack) core.debug(error.stack);
  }
}

/** The sticky comment, in pr mode only (not in a shard), when commenting is on and there is a token. */
async function comment(
  octokit: Octokit | undefined,
  inputs: ActionInputs,
  pr: PullRequestContext | undefined,
  report: Report,
  body: string,
): Promise<string | null> {
  // A shard posts nothing (SPEC 14), even when it stopped on a broken config: the merge job comments.
  if (report.mode !== 'pr' || !pr || !inputs.comment || inputs.shard) return null;
  if (!octokit) {
    core.warning(`No ${INPUT.githubToken}: promptgate cannot comment. The report is in the job summary.`);
    return null;
  }
  // A config that stops the run is news for the reviewers, like an evaluated prompt.
  const create = report.prompts.length > 0 || report.stopped !== undefined;
  return publishComment(octokit, github.context.repo, pr.number, { body, create }, { info: core.info, warning: core.warning });
}
