import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { currentHead, revParse } from '../engine/git/commands.js';
import { run, type RunOptions } from '../engine/modes/run.js';
import { renderMarkdown } from '../engine/report/markdown.js';
import type { Report } from '../engine/types.js';
import { EXIT, type CliIo, type OptionValues } from './command.js';
import type { EVALUATION_OPTIONS, REPORT_OPTIONS } from './options.js';
import { numberSetting } from './options.js';
import { SETTINGS } from '../engine/settings.js';
import { progressBar } from './progress.js';
import { summary } from './summary.js';

type EngineValues = OptionValues<typeof EVALUATION_OPTIONS & typeof REPORT_OPTIONS> & { 'no-cache'?: boolean };

/** What a command adds to the shared options: its mode, base ref and mode-specific settings. */
export type EngineRequest = Pick<RunOptions, 'mode'> & Partial<Pick<RunOptions, 'baseline' | 'all'>> & { baseRef?: string };

/** Runs the engine for eval, lint, baseline and drift: progress on stderr, the report on stdout. */
export async function runEngine(command: string, values: EngineValues, request: EngineRequest, io: CliIo): Promise<number> {
  const { baseRef, ...mode } = request;
  const bar = progressBar(io.stderr);
  const concurrency = numberSetting('--concurrency', SETTINGS.concurrency, values.concurrency, command);
  const maxCostUsd = numberSetting('--max-cost-usd', SETTINGS.maxCostUsd, values['max-cost-usd'], command);
  const options: RunOptions = {
    ...mode,
    root: io.cwd,
    ...(values.config ? { configPath: values.config } : {}),
    ...(baseRef ? { base: { sha: await revParse(io.cwd, baseRef), ref: baseRef } } : {}),
    head: await currentHead(io.cwd),
    prompts: values.prompt ?? [],
    ...(concurrency ? { concurrency } : {}),
    cache: !values['no-cache'],
    ...(maxCostUsd !== undefined ? { maxCostUsd } : {}),
    env: io.env,
    onProgress: (done, total) => bar.update(done, total),
    log: (message) => io.stderr.write(`${message}\n`),
  };
  const report: Report = await run(options).finally(() => bar.end());
  if (values.json) await writeFile(resolve(io.cwd, values.json), `${JSON.stringify(report, null, 2)}\n`);
  io.stdout.write(values.markdown ? `${renderMarkdown(report)}\n` : summary(report));
  return report.result === 'pass' ? EXIT.pass : EXIT.fail;
}
