// The engine's entry: loads the head, runs one mode over the shared context, assembles the report.
// A new mode is a module exporting a ModeRunner and one entry in MODES.
import { UserError, formatLocation } from '../errors.js';
import { WorkTree } from '../git/source.js';
import { roundedUsage } from '../gate/prompt-report.js';
import { DEFAULT_CONFIG_PATH } from '../files/project.js';
import type { Mode, Project, Report } from '../types.js';
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
  const configFile = head.config.file ?? DEFAULT_CONFIG_PATH;
  const configProblems = head.findings.filter((f) => f.file === configFile && f.severity === 'error');
  if (configProblems.length) {
    throw new UserError(configProblems.map((f) => `${formatLocation(f)}: ${f.message}`).join('\n'), configProblems[0]);
  }
  checkPromptNames(head, opts.prompts);
  const ctx = createContext(opts, headSrc, head);

  const outcome = await MODES[opts.mode](ctx);
  const prompts = outcome.prompts;
  const lint = outcome.lint;
  const errors = [...ctx.errors];
  const failOnRegression = opts.failOnRegression !== false;
  const gateFailed = prompts.some((p) => p.status === 'regressed' || p.status === 'below-min');
  const failed =
    errors.length > 0 ||
    lint.some((f) => f.severity === 'error') ||
    prompts.some((p) => p.status === 'error') ||
    (failOnRegression && gateFailed && !opts.accept);

  return {
    schema: 'promptgate/report@1',
    result: failed ? 'fail' : 'pass',
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

/** Names given to select prompts must exist: a typo must not select nothing and pass. */
function checkPromptNames(project: Project, names: string[] | undefined): void {
  const known = new Set([...project.prompts, ...project.lintOnly].map((p) => p.name));
  const unknown = (names ?? []).filter((n) => !known.has(n));
  if (!unknown.length) return;
  const list = [...known].sort().join(', ') || 'none';
  const what =
    unknown.length > 1 ? `No prompts are named ${unknown.map((n) => `"${n}"`).join(', ')}` : `No prompt is named "${unknown[0]}"`;
  throw new UserError(`${what}; the prompts are: ${list}.`);
}
