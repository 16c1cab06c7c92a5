import { resolve } from 'node:path';
import { run, type RunOptions } from '../engine/modes/run.js';
import { writeHtmlReport } from '../engine/report/html/write.js';
import { writeJsonReport } from '../engine/report/json.js';
import { renderMarkdown } from '../engine/report/markdown.js';
import { COMMENT_FORMAT } from '../github/comment-format.js';
import type { Report } from '../engine/types.js';
import { EXIT, UsageError, type CliIo, type OptionValues } from './command.js';
import { parseShard } from '../engine/modes/shard.js';
import type { Shard } from '../engine/types.js';
import { UserError } from '../engine/errors.js';
import type { EVALUATION_OPTIONS, REPORT_OPTIONS } from './options.js';
import { numberSetting } from './options.js';
import { SETTINGS } from '../engine/settings.js';
import { progressBar } from './progress.js';
import type { PendingRefs } from './refs.js';
import { summary } from './summary.js';

/** The shell's convention for a process stopped by SIGINT (128 + 2). */
const EXIT_INTERRUPTED = 130;

type EngineValues = OptionValues<typeof EVALUATION_OPTIONS & typeof REPORT_OPTIONS> & { 'no-cache'?: boolean; shard?: string };

/** What a command adds to the shared options: its mode, base (a ref, or a commit as a merge's shards saw it) and mode-specific settings. */
export type EngineRequest = Pick<RunOptions, 'mode'> &
  Partial<Pick<RunOptions, 'baseline' | 'all' | 'merge' | 'base'>> & {
    baseRef?: string;
    /** Without a first commit, run with no base instead of stopping (eval --all in a new repository). */
    baseOptional?: boolean;
  };

/** Runs the engine for eval, lint, baseline and drift: progress on stderr, the report on stdout. */
export async function runEngine(
  command: string,
  values: EngineValues,
  request: EngineRequest,
  io: CliIo,
  refs: PendingRefs,
): Promise<number> {
  // The base ref is resolved in refs; the rest of the request goes to the engine as it is.
  const { baseRef: _resolvedInRefs, baseOptional, ...mode } = request;
  const shard = values.shard === undefined ? undefined : parseShardOption(values.shard, command);
  if (shard && !values.json) throw new UsageError('--shard needs --json FILE: the partial report is what promptgate merge reads.', command);
  const concurrency = numberSetting('--concurrency', SETTINGS.concurrency, values.concurrency, command);
  const maxCostUsd = numberSetting('--max-cost-usd', SETTINGS.maxCostUsd, values['max-cost-usd'], command);
  const head = await refs.head;
  const base =
    refs.base && !(baseOptional && head.sha === null)
      ? { base: { sha: await refs.base.sha, ref: refs.base.ref }, ...(refs.changes ? { changedFiles: refs.changes } : {}) }
      : {};
  const bar = progressBar(io.stderr);
  const options: RunOptions = {
    ...mode,
    root: io.cwd,
    ...(values.config ? { configPath: values.config } : {}),
    ...base,
    ...(shard ? { shard } : {}),
    head,
    prompts: values.prompt ?? [],
    ...(concurrency ? { concurrency } : {}),
    cache: !values['no-cache'],
    ...(maxCostUsd !== undefined ? { maxCostUsd } : {}),
    env: io.env,
    onProgress: (done, total) => bar.update(done, total),
    log: (message) => bar.log(message),
  };
  // Ctrl-C: stop at once, but say what is kept. Answers are cached as they arrive (atomically),
  // so the same command run again pays only for the rest.
  const interrupt = () => {
    bar.end();
    const kept =
      options.cache && options.mode !== 'drift'
        ? 'every answer received is in the response cache, so running the same command again does not pay for it twice'
        : `nothing was cached (${options.mode === 'drift' ? 'drift never uses the cache' : '--no-cache'})`;
    io.stderr.write(`promptgate: interrupted after ${bar.done}/${bar.total} samples; ${kept}.\n`);
    process.exit(EXIT_INTERRUPTED);
  };
  process.once('SIGINT', interrupt);
  const report: Report = await run(options).finally(() => {
    process.off('SIGINT', interrupt);
    bar.end();
  });
  if (values.json) await writeJsonReport(resolve(io.cwd, values.json), report);
  if (shard && !report.stopped) {
    // A partial report has no verdict of its own: `promptgate merge` decides.
    const samples = report.prompts.reduce((n, p) => n + p.samples, 0);
    io.stdout.write(`Shard ${shard.index}/${shard.count}: ${samples} samples evaluated; partial report in ${values.json}.\n`);
    return EXIT.pass;
  }
  if (values.html) await writeHtmlReport(resolve(io.cwd, values.html), report);
  io.stdout.write(values.markdown ? `${renderMarkdown(report, COMMENT_FORMAT)}\n` : summary(report));
  // SPEC 8: a configuration error exits 2, after the report that locates it is written.
  if (report.stopped) return EXIT.usage;
  return report.result === 'pass' ? EXIT.pass : EXIT.fail;
}

function parseShardOption(text: string, command: string): Shard {
  try {
    return parseShard(text, '--shard');
  } catch (err) {
    throw err instanceof UserError ? new UsageError(err.message, command) : err;
  }
}
