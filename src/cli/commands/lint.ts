import { defineCommand } from '../command.js';
import { CONFIG_OPTION, REPORT_OPTIONS } from '../options.js';
import { runEngine } from '../lazy-engine.js';

export const lintCommand = defineCommand({
  name: 'lint',
  summary: 'check prompts without calling a model (pinned models, versions, variables)',
  description: 'Lints every prompt and suite. With --base, also checks that changed prompts bumped their version.',
  options: {
    base: { type: 'string', value: 'REF', description: 'check version bumps against REF' },
    ...CONFIG_OPTION,
    ...REPORT_OPTIONS,
  },
  async run({ values }, io) {
    return runEngine('lint', values, { mode: 'lint', ...(values.base ? { baseRef: values.base } : {}) }, io);
  },
});
