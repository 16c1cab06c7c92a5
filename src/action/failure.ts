import { plural } from '../engine/report/format.js';
import type { Report } from '../engine/types.js';
import { missingKeysMessage } from './missing-keys.js';

/**
 * Why a failed run failed, one line per cause, each saying what to do next. Only causes
 * that fail the check are listed: an accepted regression, or a regression with
 * fail-on-regression off, is reported elsewhere but is not a reason here.
 */
export function failureMessage(report: Report, gate: { acceptLabel: string; failOnRegression: boolean }): string {
  const lines: string[] = [];
  const lintErrors = report.lint.filter((f) => f.severity === 'error');
  if (lintErrors.length) {
    lines.push(
      `${plural(lintErrors.length, 'lint error')}: fix ${lintErrors.length === 1 ? 'it' : 'them'} (see the annotations on the files).`,
    );
  }
  for (const p of report.prompts) {
    if (p.status === 'error' && p.missing_keys) {
      lines.push(missingKeysMessage({ ...p, missing_keys: p.missing_keys }));
    } else if (p.status === 'error') {
      lines.push(
        `${p.name} could not be evaluated: ${p.error ?? `${plural(p.cases.errored.length, 'case')} errored`}. See the log for the failed calls, fix the cause, and re-run.`,
      );
    } else if (p.status === 'regressed' && gate.failOnRegression && !report.accepted) {
      const metrics = p.metrics.filter((m) => m.regressed).map((m) => m.name);
      lines.push(
        `${plural(metrics.length, 'metric')} regressed in ${p.name} (${metrics.join(', ')}). ` +
          `Fix the prompt, or add the label "${gate.acceptLabel}" to accept the regression.`,
      );
    } else if (p.status === 'below-min' && gate.failOnRegression && !report.accepted) {
      const metrics = p.metrics.filter((m) => m.below_min).map((m) => m.name);
      lines.push(
        `${p.name} is below its minimum on ${metrics.join(', ')}. Improve the prompt, or lower the metric's gate min in its eval suite.`,
      );
    }
  }
  lines.push(...report.errors);
  return lines.length ? lines.join('\n') : 'promptgate failed: see the report in the job summary.';
}
