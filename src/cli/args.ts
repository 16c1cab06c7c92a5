import { parseArgs } from 'node:util';
import { UserError } from '../engine/errors.js';
import type { BaselinePolicy } from '../engine/modes/run.js';

export const USAGE = `Usage: promptgate <command> [options]

Commands:
  eval       evaluate prompts; with --base REF, the prompts a change affects against REF
  lint       check prompts without calling a model (pinned models, versions, variables)
  baseline   evaluate prompts and write their baselines (only stale ones unless --all)
  drift      re-evaluate every prompt live against its stored baseline

Options:
  --base REF          compare the working tree with REF (a branch, tag or sha)
  --prompt NAME       only this prompt (repeatable)
  --baseline POLICY   auto (default), stored or rerun
  --concurrency N     global limit on model calls in flight
  --no-cache          do not read or write the response cache
  --max-cost-usd X    stop and fail before spending more than X dollars
  --config PATH       config file (default promptgate.yaml)
  --json FILE         write the JSON report to FILE
  --markdown          print the markdown report on stdout
  --all               (baseline) rewrite every baseline, not only stale ones
  --debug             print stack traces of internal errors
  -h, --help          show this help

Exit codes: 0 pass, 1 the gate failed, 2 usage or configuration error.`;

export const COMMANDS = ['eval', 'lint', 'baseline', 'drift'] as const;
export type Command = (typeof COMMANDS)[number];

export interface CliArgs {
  command: Command;
  base?: string;
  prompts: string[];
  baseline: BaselinePolicy;
  concurrency?: number;
  cache: boolean;
  maxCostUsd?: number;
  config?: string;
  json?: string;
  markdown: boolean;
  all: boolean;
  debug: boolean;
}

/** Parses argv; returns 'help' for -h/--help. Throws UserError on anything malformed. */
export function parseCliArgs(argv: string[]): CliArgs | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        base: { type: 'string' },
        prompt: { type: 'string', multiple: true },
        baseline: { type: 'string' },
        concurrency: { type: 'string' },
        'no-cache': { type: 'boolean' },
        'max-cost-usd': { type: 'string' },
        config: { type: 'string' },
        json: { type: 'string' },
        markdown: { type: 'boolean' },
        all: { type: 'boolean' },
        debug: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UserError(`${(err as Error).message}\n\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  const [command, ...extra] = positionals;
  if (!command) throw new UserError(`Name a command.\n\n${USAGE}`);
  if (!COMMANDS.includes(command as Command))
    throw new UserError(`Unknown command "${command}": expected one of ${COMMANDS.join(', ')}.\n\n${USAGE}`);
  if (extra.length) throw new UserError(`Unexpected argument "${extra[0]}". Options start with --; see promptgate --help.`);
  const baseline = values.baseline ?? 'auto';
  if (!['auto', 'stored', 'rerun'].includes(baseline)) throw new UserError(`--baseline must be auto, stored or rerun; got "${baseline}".`);
  return {
    command: command as Command,
    ...(values.base !== undefined ? { base: values.base } : {}),
    prompts: values.prompt ?? [],
    baseline: baseline as BaselinePolicy,
    ...(values.concurrency !== undefined ? { concurrency: positiveInt('--concurrency', values.concurrency) } : {}),
    cache: !values['no-cache'],
    ...(values['max-cost-usd'] !== undefined ? { maxCostUsd: nonNegative('--max-cost-usd', values['max-cost-usd']) } : {}),
    ...(values.config !== undefined ? { config: values.config } : {}),
    ...(values.json !== undefined ? { json: values.json } : {}),
    markdown: Boolean(values.markdown),
    all: Boolean(values.all),
    debug: Boolean(values.debug),
  };
}

function positiveInt(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`${flag} takes a whole number of at least 1; got "${text}".`);
  return n;
}

function nonNegative(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) throw new UserError(`${flag} takes a number of 0 or more; got "${text}".`);
  return n;
}
