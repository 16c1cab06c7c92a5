// The engine's entry: loads the head, runs one mode over the shared context, assembles the report.
// A new mode is a module exporting a ModeRunner and one entry in MODES.
import { UserError, formatLocation } from '../errors.js';
import { WorkTree } from '../git/source.js';
import { roundedUsage } from '../gate/prompt-report.js';
import { decide } from '../gate/verdict.js';
import type { Mode, Report } from '../types.js';
import { createContext, load, type ModeRunner, type RunOptions } from './context.js';
import { runBaseline } from './baseline.js';
import { runDrift } from './drift.js';
import { runLint } from './lint.js';
import { runPr } from './pr.js';

export type { BaselinePolicy, RunOptions } from './context.js';

const MODES: Record<Mode, ModeRunner> = { pr: runPr, baseline: runBaseline, drift: runDrift, lint: runLint };

/** Runs one mode end to end and returns the report. User-fixable problems throw UserError. */
export async function run(opts: RunOptions): Promise<Report> {
  const started = Date.now();
  const headSrc = new WorkTree(opts.root);
  const head = load(headSrc, opts);
  const configProblems = head.findings.filter((f) => f.file === head.config.file && f.severity === 'error');
  if (configProblems.length) {
    throw new UserError(configProblems.map((f) => `${formatLocation(f)}: ${f.message}`).join('\n'), configProblems[0]);
  }
  const ctx = createContext(opts, headSrc, head);

  const outcome = await MODES[opts.mode](ctx);
  const lint = outcome.lint;
  const errors = [...ctx.errors];
  const { prompts, result } = decide(outcome.prompts, lint, errors, {
    accept: Boolean(opts.accept),
    failOnRegression: opts.failOnRegression !== false,
  });

  return {
    schema: 'promptgate/report@1',
    result,
    mode: opts.mode,
    accepted: Boolean(opts.accept),
    base: { ref: opts.base?.ref ?? null, sha: opts.base?.sha ?? null },
    head: { ref: opts.head?.ref ?? null, sha: opts.head?.sha ?? null },
    lint,
    usage: roundedUsage(ctx.runner.usage),
    duration_ms: Date.now() - started,
    prompts,
    models: [...new Set(prompts.flatMap((p) => (p.model ? [p.model] : [])).concat(outcome.judgeModels ?? []))].sort(),
    errors,
    ...(outcome.baselinesWritten ? { baselines_written: outcome.baselinesWritten } : {}),
  };
}
