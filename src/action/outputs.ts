import type { Report } from '../engine/types.js';

/** Output names exactly as action.yml declares them. */
export const OUTPUT = {
  result: 'result',
  regressions: 'regressions',
  evaluated: 'evaluated',
  report: 'report',
  costUsd: 'cost-usd',
  commentUrl: 'comment-url',
  baselines: 'baselines',
  released: 'released',
  manifest: 'manifest',
} as const;

export type Outputs = Record<(typeof OUTPUT)[keyof typeof OUTPUT], string>;

/** Every output of a finished run, as the strings the runner stores. */
export function runOutputs(report: Report, where: { reportPath: string; commentUrl: string | null }): Outputs {
  return {
    [OUTPUT.result]: report.result,
    [OUTPUT.regressions]: String(regressedMetrics(report)),
    [OUTPUT.evaluated]: String(report.prompts.filter((p) => p.status !== 'removed').length),
    [OUTPUT.report]: where.reportPath,
    // Rounded to a millionth of a dollar so float noise (0.30000000000000004) stays out of the output.
    [OUTPUT.costUsd]: String(Number(report.usage.cost_usd.toFixed(6))),
    [OUTPUT.commentUrl]: where.commentUrl ?? '',
    [OUTPUT.baselines]: (report.baselines_written ?? []).join('\n'),
    [OUTPUT.released]: (report.released ?? []).join('\n'),
    [OUTPUT.manifest]: report.published?.manifest ?? '',
  };
}

export function regressedMetrics(report: Report): number {
  return report.prompts.reduce((n, p) => n + p.metrics.filter((m) => m.regressed).length, 0);
}
