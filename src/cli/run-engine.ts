import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { currentHead, revParse } from '../engine/git/commands.js';
import { run, type RunOptions } from '../engine/modes/run.js';
import { writeHtmlReport } from '../engine/report/html/write.js';
import { renderMarkdown } from '../engine/report/markdown.js';
import type { Report } from '../engine/types.js';
import { EXIT, UsageError, type CliIo, type OptionValues } from './command.js';
import { parseShard } from '../engine/modes/shard.js';
import type { Shard } from '../engine/types.js';
import { UserError } from '../engine/errors.js';
import type { EVALUATION_OPTIONS, REPORT_OPTIONS } from './options.js';
import { nonNegative, positiveInt } from './options.js';
import { progressBar } from './progress.js';
import { summary } from './summary.js';

type EngineValues = OptionValues<typeof EVALUATION_OPTIONS & typeof REPORT_OPTIONS> & { 'no-cache'?: boolean; shard?: string };

/** What a command adds to the shared options: its mode, base (a ref, or a commit as a merge's shards saw it) and mode-specific settings. */
export type EngineRequest = Pick<RunOptions, 'mode'> &
  Partial<Pick<RunOptions, 'baseline' | 'all' | 'merge' | 'base'>> & { baseRef?: string };

/** Runs the engine for eval, lint, baseline and drift: progress on stderr, the report on stdout. */
export async function runEngine(command: string, values: EngineValues, request: EngineRequest, io: CliIo): Promise<number> {
  const { baseRef, ...mode } = request;
  const shard = values.shard === undefined ? undefined : parseShardOption(values.shard, command);
  if (shard && !values.json) throw new UsageError('--shard needs --json FILE: the partial report is what promptgate merge reads.', command);
  const bar = progressBar(io.stderr);
  const concurrency = positiveInt('--concurrency', values.concurrency, command);
  const maxCostUsd = nonNegative('--max-cost-usd', values['max-cost-usd'], command);
  // Both git look-ups at once: start-up is on the clock before the first model call.
  const [base, head] = await Promise.all([
    baseRef && !mode.base ? revParse(io.cwd, baseRef).then((sha) => ({ base: { sha, ref: baseRef } })) : {},
    currentHead(io.cwd),
  ]);
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
    log: (message) => io.stderr.write(`${message}\n`),
  };
  const report: Report = await run(options).finally(() => bar.end());
  // Partial reports are read by the merge, not by people: compact, they are a fraction of the size.
  if (values.json) await writeFile(resolve(io.cwd, values.json), `${shard ? JSON.stringify(report) : JSON.stringify(report, null, 2)}\n`);
  if (shard) {
    // A partial report has no verdict of its own: `promptgate merge` decides.
    const samples = report.prompts.reduce((n, p) => n + p.samples, 0);
    io.stdout.write(`Shard ${shard.index}/${shard.count}: ${samples} samples evaluated; partial report in ${values.json}.\n`);
    return EXIT.pass;
  }
  if (values.html) await writeHtmlReport(resolve(io.cwd, values.html), report);
  io.stdout.write(values.markdown ? `${renderMarkdown(report)}\n` : summary(report));
  return report.result === 'pass' ? EXIT.pass : EXIT.fail;
}

function parseShardOption(text: string, command: string): Shard {
  try {
    return parseShard(text, '--shard');
  } catch (err) {
    throw err instanceof UserError ? new UsageError(err.message, command) : err;
  }
}
