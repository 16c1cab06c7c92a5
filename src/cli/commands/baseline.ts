import { defineCommand } from '../command.js';
import { CACHE_OPTION, EVALUATION_OPTIONS, REPORT_OPTIONS, SHARD_OPTION } from '../options.js';
import { runEngine } from '../lazy-engine.js';

export const baselineCommand = defineCommand({
  name: 'baseline',
  summary: 'evaluate prompts and write their baselines (only stale ones unless --all)',
  description: 'Writes <baselines>/<name>.json for each prompt whose stored baseline is missing or stale; commit them.',
  options: {
    all: { type: 'boolean', description: 'rewrite every baseline, not only stale ones' },
    ...EVALUATION_OPTIONS,
    ...SHARD_OPTION,
    ...CACHE_OPTION,
    ...REPORT_OPTIONS,
  },
  async run({ values }, io) {
    return runEngine('baseline', values, { mode: 'baseline', all: Boolean(values.all) }, io);
  },
});
