// Action `mode: canary` (SPEC 11): check every active canary, optionally write the
// decisions, and hand the workflow what it needs to commit them (outputs and a markdown file).
import * as core from '@actions/core';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { runCanaryCheck } from '../engine/modes/canary.js';
import { renderCanaryMarkdown } from '../engine/report/canary-markdown.js';
import type { ActionInputs } from './inputs.js';
import { OUTPUT } from './outputs.js';

/** The outputs only mode canary sets (it also sets `result` and `report`). */
export const CANARY_OUTPUT = { decisions: 'decisions', changed: 'changed', markdown: 'markdown' } as const;

export async function runCanaryMode(inputs: ActionInputs, workspace: string): Promise<void> {
  const report = await runCanaryCheck({ root: workspace, configPath: inputs.configPath, events: inputs.events, apply: inputs.apply });
  const reportPath = resolve(workspace, inputs.reportPath);
  const markdownPath = reportPath.replace(/(\.json)?$/, '.md');
  const markdown = renderCanaryMarkdown(report);
  await mkdir(dirname(reportPath), { recursive: true });
  await writeFile(reportPath, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(markdownPath, markdown);
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(markdown).write();
  const decisions = report.prompts.map((p) => ({
    prompt: p.prompt,
    decision: p.decision,
    reason: p.reason,
    step: p.step,
    weight: p.weight,
    ...(p.next_weight !== undefined && { next_weight: p.next_weight }),
    srm_alarm: p.srm_alarm,
  }));
  core.setOutput(CANARY_OUTPUT.decisions, JSON.stringify(decisions));
  core.setOutput(CANARY_OUTPUT.changed, String(report.applied));
  core.setOutput(CANARY_OUTPUT.markdown, markdownPath);
  core.setOutput(OUTPUT.result, report.result);
  core.setOutput(OUTPUT.report, reportPath);
  for (const p of report.prompts) core.info(`${p.prompt}: ${p.decision}. ${p.reason}`);
  if (report.result === 'fail') {
    const failing = report.prompts.filter((p) => p.decision === 'rollback' || p.srm_alarm);
    core.setFailed(
      failing
        .map(
          (p) =>
            `${p.prompt}: ${p.srm_alarm ? 'sample-ratio mismatch, held' : `rolled back${report.applied ? '' : ' (not applied: set apply: true)'}`}. ${p.reason}`,
        )
        .join('\n'),
    );
  }
}
