import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UserError, formatLocation } from '../engine/errors.js';
import { currentHead, revParse } from '../engine/git/commands.js';
import { renderMarkdown } from '../engine/report/markdown.js';
import { pct, pp } from '../engine/report/format.js';
import { run, type RunOptions } from '../engine/modes/run.js';
import { BUGS_URL } from '../engine/version.js';
import type { Mode, Report } from '../engine/types.js';
import { USAGE, parseCliArgs, type Command } from './args.js';
import { progressBar } from './progress.js';

export const EXIT = { pass: 0, fail: 1, usage: 2 } as const;

const MODE_OF: Record<Command, Mode> = { eval: 'pr', lint: 'lint', baseline: 'baseline', drift: 'drift' };

/** The whole CLI; returns the exit code. `env` carries API keys and base URLs. */
export async function main(argv: string[], env: NodeJS.ProcessEnv, cwd = process.cwd()): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    const args = parseCliArgs(argv);
    if (args === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return EXIT.pass;
    }
    // `eval` compares with the commit you are on unless told otherwise: "what did my edit do?"
    const baseRef = args.base ?? (args.command === 'eval' ? 'HEAD' : undefined);
    const bar = progressBar(process.stderr);
    const options: RunOptions = {
      root: cwd,
      mode: MODE_OF[args.command],
      ...(args.config ? { configPath: args.config } : {}),
      ...(baseRef ? { base: { sha: await revParse(cwd, baseRef), ref: baseRef } } : {}),
      head: await currentHead(cwd),
      baseline: args.baseline,
      prompts: args.prompts,
      ...(args.concurrency ? { concurrency: args.concurrency } : {}),
      cache: args.cache,
      ...(args.maxCostUsd !== undefined ? { maxCostUsd: args.maxCostUsd } : {}),
      all: args.all,
      env,
      onProgress: (done, total) => bar.update(done, total),
      log: (message) => process.stderr.write(`${message}\n`),
    };
    const report = await run(options).finally(() => bar.end());
    if (args.json) await writeFile(resolve(cwd, args.json), `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(args.markdown ? `${renderMarkdown(report)}\n` : summary(report));
    return report.result === 'pass' ? EXIT.pass : EXIT.fail;
  } catch (err) {
    if (err instanceof UserError) {
      process.stderr.write(`promptgate: ${err.message}\n`);
    } else {
      process.stderr.write(
        `promptgate: internal error: ${(err as Error)?.message ?? err}. This is a bug in promptgate: please report it at ${BUGS_URL} with the command you ran` +
          `${debug ? '' : ' (--debug prints the stack trace)'}.\n${debug ? `${(err as Error)?.stack}\n` : ''}`,
      );
    }
    return EXIT.usage;
  }
}

/** Plain text for a terminal or a CI log: findings first (located, one a line), then each prompt's verdict. */
function summary(report: Report): string {
  const lines: string[] = [];
  for (const f of report.lint) lines.push(`${formatLocation(f)}: ${f.severity} [${f.rule}] ${f.message}`);
  for (const p of report.prompts) {
    lines.push(
      `${p.status === 'pass' || p.status === 'new' ? 'ok  ' : p.status === 'removed' ? '--  ' : 'FAIL'} ${p.name} (${p.change}, ${p.status})`,
    );
    if (p.error) lines.push(`     ${p.error}`);
    for (const m of p.metrics) {
      const flag = m.regressed ? ' regressed' : m.below_min ? ' below min' : '';
      lines.push(`     ${m.name}: ${pct(m.baseline)} -> ${pct(m.candidate)} (${pp(m.delta)})${flag}`);
    }
  }
  for (const e of report.errors) lines.push(`error: ${e}`);
  if (report.baselines_written?.length) lines.push(`Baselines written: ${report.baselines_written.join(', ')}`);
  if (report.mode === 'pr' && !report.prompts.length) lines.push('No prompt is affected by this change.');
  const u = report.usage;
  lines.push(
    `${report.result.toUpperCase()}: ${u.calls} calls, ${u.cached} cached, $${u.cost_usd.toFixed(4)}, ${(report.duration_ms / 1000).toFixed(1)} s`,
  );
  return `${lines.join('\n')}\n`;
}
