import { BASELINE_POLICIES } from '../../engine/settings.js';
import { defineCommand } from '../command.js';
import { CACHE_OPTION, EVALUATION_OPTIONS, REPORT_OPTIONS, SHARD_OPTION, STATUSES, oneOf } from '../options.js';
import { runEngine } from '../lazy-engine.js';

export const evalCommand = defineCommand({
  name: 'eval',
  summary: 'evaluate the prompts your change affects against a base commit',
  description: [
    'Compares the working tree with --base (default HEAD, i.e. "what did my edit do?"):',
    'finds the prompts the change affects, runs their suites on both versions (or reads',
    'the stored baselines) and gates each metric.',
    '',
    'With --all, or --prompt NAME, prompts the change does not touch are evaluated too:',
    'against their stored baseline when it is of the same version and suite, else on their',
    'own (status new: scores and min thresholds still apply). --all also works before the',
    "repository's first commit.",
  ].join('\n'),
  notes: STATUSES,
  options: {
    base: { type: 'string', value: 'REF', description: 'compare with REF, a branch, tag or sha (default HEAD)' },
    all: { type: 'boolean', description: 'evaluate every prompt, not only those the change affects' },
    baseline: { type: 'string', value: 'POLICY', description: 'auto (default), stored or rerun' },
    ...EVALUATION_OPTIONS,
    ...SHARD_OPTION,
    ...CACHE_OPTION,
    ...REPORT_OPTIONS,
  },
  async run({ values }, io) {
    const baseline = oneOf('--baseline', values.baseline, BASELINE_POLICIES, 'eval') ?? 'auto';
    const all = Boolean(values.all);
    return runEngine('eval', values, { mode: 'pr', baseline, all, baseRef: values.base ?? 'HEAD', baseOptional: all && !values.base }, io);
  },
});
