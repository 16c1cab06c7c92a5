import { BASELINE_POLICIES } from '../../engine/settings.js';
import { defineCommand } from '../command.js';
import { CACHE_OPTION, EVALUATION_OPTIONS, REPORT_OPTIONS, oneOf } from '../options.js';
import { runEngine } from '../run-engine.js';

export const evalCommand = defineCommand({
  name: 'eval',
  summary: 'evaluate the prompts your change affects against a base commit',
  description: [
    'Compares the working tree with --base (default HEAD, i.e. "what did my edit do?"):',
    'finds the prompts the change affects, runs their suites on both versions (or reads',
    'the stored baselines) and gates each metric.',
  ].join('\n'),
  options: {
    base: { type: 'string', value: 'REF', description: 'compare with REF, a branch, tag or sha (default HEAD)' },
    baseline: { type: 'string', value: 'POLICY', description: 'auto (default), stored or rerun' },
    ...EVALUATION_OPTIONS,
    ...CACHE_OPTION,
    ...REPORT_OPTIONS,
  },
  async run({ values }, io) {
    const baseline = oneOf('--baseline', values.baseline, BASELINE_POLICIES, 'eval') ?? 'auto';
    return runEngine('eval', values, { mode: 'pr', baseline, baseRef: values.base ?? 'HEAD' }, io);
  },
});
