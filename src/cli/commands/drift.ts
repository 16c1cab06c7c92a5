import { defineCommand } from '../command.js';
import { EVALUATION_OPTIONS, REPORT_OPTIONS, SHARD_OPTION } from '../options.js';
import { runEngine } from '../lazy-engine.js';

export const driftCommand = defineCommand({
  name: 'drift',
  summary: 're-evaluate every prompt live against its stored baseline',
  description: 'Calls the models without the cache, so a model that changed under a pinned name shows up.',
  options: { ...EVALUATION_OPTIONS, ...SHARD_OPTION, ...REPORT_OPTIONS },
  async run({ values }, io) {
    return runEngine('drift', values, { mode: 'drift' }, io);
  },
});
