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

export const CACHE_OPTION = {
  'no-cache': { type: 'boolean', description: 'do not read or write the response cache' },
} as const satisfies OptionSpecs;
