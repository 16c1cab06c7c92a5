import { formatLocation } from '../../engine/errors.js';
import { release } from '../../engine/modes/release.js';
import { EXIT, defineCommand } from '../command.js';
import { CACHE_OPTION, CONFIG_OPTION, nonNegative, positiveInt } from '../options.js';
import { progressBar } from '../progress.js';

export const releaseCommand = defineCommand({
  name: 'release',
  summary: 'archive current prompt versions that are not released yet',
  description:
    'Writes .promptgate/registry/<name>/<version>.json for each current version without an archive entry, with its eval scores at release ' +
    '(from the stored baseline when it matches, else evaluated). Refuses, writing nothing, when a prompt has lint errors or its version ' +
    'was already released with other content. Commit the files it writes.',
  args: [{ name: 'NAME', variadic: true }],
  options: {
    concurrency: { type: 'string', value: 'N', description: 'global limit on model calls in flight' },
    'max-cost-usd': { type: 'string', value: 'X', description: 'stop and fail before spending more than X dollars' },
    ...CACHE_OPTION,
    ...CONFIG_OPTION,
  },
  async run({ values, args }, io) {
    const concurrency = positiveInt('--concurrency', values.concurrency, 'release');
    const maxCostUsd = nonNegative('--max-cost-usd', values['max-cost-usd'], 'release');
    const bar = progressBar(io.stderr);
    const result = await release({
      root: io.cwd,
      ...(values.config && { configPath: values.config }),
      prompts: args,
      ...(concurrency && { concurrency }),
      ...(maxCostUsd !== undefined && { maxCostUsd }),
      cache: !values['no-cache'],
      env: io.env,
      onProgress: (done, total) => bar.update(done, total),
      log: (message) => io.stderr.write(`${message}\n`),
    }).finally(() => bar.end());
    for (const f of result.refusals) io.stderr.write(`${formatLocation(f)}: ${f.severity} ${f.rule}: ${f.message}\n`);
    for (const e of result.errors) io.stderr.write(`${e}\n`);
    if (result.result === 'fail') {
      io.stderr.write('Nothing released: fix the problems above and run promptgate release again.\n');
      return EXIT.fail;
    }
    for (const file of result.written) io.stdout.write(`released ${file}\n`);
    if (!result.written.length)
      io.stdout.write(`Nothing to release: every current version is archived (${result.upToDate.join(', ') || 'no prompts'}).\n`);
    return EXIT.pass;
  },
});
