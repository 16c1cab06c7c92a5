import { defineCommand } from '../command.js';
import { CACHE_OPTION, EVALUATION_OPTIONS, REPORT_OPTIONS } from '../options.js';
import { runEngine } from '../lazy-engine.js';

const { prompt: _byName, ...evaluationOptions } = EVALUATION_OPTIONS;

export const releaseCommand = defineCommand({
  name: 'release',
  summary: 'archive current prompt versions that are not released yet',
  description:
    'Writes .promptgate/registry/<name>/<version>.json for each current version without an archive entry (only NAME... when given), ' +
    'with its eval scores at release: from the stored baseline when it matches, else evaluated. Refuses, writing nothing, when a ' +
    'prompt has lint errors or its version was already released with other content. Commit the files it writes.',
  args: [{ name: 'NAME', variadic: true }],
  options: { ...evaluationOptions, ...CACHE_OPTION, ...REPORT_OPTIONS },
  async run({ values, args }, io) {
    return runEngine('release', { ...values, prompt: args }, { mode: 'release' }, io);
  },
});
