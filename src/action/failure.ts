import { plural } from '../engine/report/format.js';
import type { Report } from '../engine/types.js';
import { missingKeysMessage } from './missing-keys.js';

/**
 * Why a failed run failed, one line per cause, each saying what to do next. Only causes
 * that fail the check are listed: an accepted regression, or a regression with
 * fail-on-regression off, is reported elsewhere but is not a reason here.
 */
export function failureMessage(report: Report, words: { acceptLabel: string }): string {
  const lines: string[] = [];
  const lintErrors = report.lint.filter((f) => f.severity === 'error');
  if (lintErrors.length) {
    lines.push(
      `${plural(lintErrors.length, 'lint error')}: fix ${lintErrors.length === 1 ? 'it' : 'them'} (see the annotations on the files).`,
    );
  }
  for (const p of report.prompts) {
    if (!p.verdict.blocks) continue;
    // The first problem says why the prompt blocks, as its status does.
    const problem = p.verdict.problems[0];
    if (problem?.kind === 'error' && p.missing_keys) {
      lines.push(missingKeysMessage({ ...p, missing_keys: p.missing_keys }));
    } else if (problem?.kind === 'error') {
      lines.push(`${p.name} could not be evaluated: ${problem.message}. See the log for the failed calls, fix the cause, and re-run.`);
    } else if (problem?.kind === 'regressed') {
      lines.push(
        `${plural(problem.metrics.length, 'metric')} regressed in ${p.name} (${problem.metrics.join(', ')}). ` +
          `Fix the prompt, or add the label "${words.acceptLabel}" to accept the regression.`,
      );
    } else if (problem?.kind === 'below-min') {
      lines.push(
        `${p.name} is below its minimum on ${problem.metrics.join(', ')}. Improve the prompt, or lower the metric's gate min in its eval suite.`,
      );
    }
  }
  lines.push(...report.errors);
  return lines.length ? lines.join('\n') : 'promptgate failed: see the report in the job summary.';
}
