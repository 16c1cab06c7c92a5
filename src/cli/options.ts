import { parseSetting, type NumberSetting } from '../engine/settings.js';
import { UsageError, type OptionSpecs } from './command.js';

/** Options several commands share, declared once so their help reads the same everywhere. */
export const CONFIG_OPTION = {
  config: { type: 'string', value: 'PATH', description: 'config file (default promptgate.yaml)' },
} as const satisfies OptionSpecs;

export const EVALUATION_OPTIONS = {
  prompt: { type: 'string', multiple: true, value: 'NAME', description: 'only this prompt' },
  concurrency: { type: 'string', value: 'N', description: 'global limit on model calls in flight' },
  'max-cost-usd': { type: 'string', value: 'X', description: 'stop and fail before spending more than X dollars' },
  ...CONFIG_OPTION,
} as const satisfies OptionSpecs;

export const REPORT_OPTIONS = {
  json: { type: 'string', value: 'FILE', description: 'write the JSON report to FILE' },
  markdown: { type: 'boolean', description: 'print the markdown report on stdout' },
  html: { type: 'string', value: 'FILE', description: 'write the report as one self-contained HTML page to FILE' },
} as const satisfies OptionSpecs;

/** A flag holding one of the settings the action and promptgate.yaml share (engine/settings.ts). */
export function numberSetting(flag: string, setting: NumberSetting, text: string | undefined, command: string): number | undefined {
  if (text === undefined) return undefined;
  const n = parseSetting(setting, text);
  if (n === undefined) throw new UsageError(`${flag} takes ${setting.expected}; got "${text}".`, command);
  return n;
}

export function oneOf<T extends string>(flag: string, text: string | undefined, allowed: readonly T[], command: string): T | undefined {
  if (text === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(text))
    throw new UsageError(`${flag} must be ${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}; got "${text}".`, command);
  return text as T;
}

/** Sharding (SPEC 14): one job of n evaluates its part; `promptgate merge` makes the report. */
export const SHARD_OPTION = {
  shard: { type: 'string', value: 'I/N', description: 'evaluate only shard I of N and write a partial report to --json FILE' },
} as const satisfies OptionSpecs;

export const CACHE_OPTION = {
  'no-cache': { type: 'boolean', description: 'do not read or write the response cache' },
} as const satisfies OptionSpecs;

/** What the summary's "(change, status)" pair means; eval, baseline and drift print it. */
export const STATUSES = `Each prompt is listed as NAME (CHANGE, STATUS).
Change, what made it evaluated:
  added        new in this change (no base version)
  modified     its own file changed
  dependency   its suite, dataset or an included file changed
  removed      deleted by this change (not evaluated)
  unchanged    not touched, evaluated because --all or --prompt asked for it
Status, the verdict:
  pass         no metric regressed or fell below its min
  new          no base to compare with; scores and min thresholds still apply
  regressed    a metric dropped by more than max_drop, significantly (see the gate in the README)
  below-min    a metric is under its min threshold
  error        samples errored beyond max_error_rate, or it could not be evaluated
  removed      the prompt is gone`;
