import { resolve } from 'node:path';
import { plural } from '../../engine/report/format.js';
import { UsageError, defineCommand, EXIT } from '../command.js';
import { CONFIG_OPTION } from '../options.js';

export const dashboardCommand = defineCommand({
  name: 'dashboard',
  summary: 'write one HTML page: each prompt’s releases, and its usage per version and day from events',
  description: [
    'Per prompt: its versions over time (release date, labels now, eval scores at release, from',
    'the release archive, or from the stored baseline and its git history), the canary with the',
    'decision canary check makes over the events, and per version and day from the events (feedback',
    "joined to its call): calls, error rate, latency p50/p95, tokens, cost and every metric's mean,",
    'charted as a line per version. One self-contained file: no network, no JavaScript.',
  ].join('\n'),
  options: {
    events: {
      type: 'string',
      multiple: true,
      value: 'GLOB',
      description: 'event files (promptgate/event@1 or OTLP JSON lines, .gz too); repeatable',
    },
    out: { type: 'string', value: 'FILE', description: 'where to write the page (required), e.g. dashboard.html' },
    ...CONFIG_OPTION,
  },
  async run({ values }, io) {
    if (!values.out) throw new UsageError('dashboard needs --out FILE.html: where to write the page.', 'dashboard');
    // The page's modules (and their chart library) load only for this command.
    const { buildDashboard } = await import('../../engine/dashboard/build.js');
    const { writeDashboard } = await import('../../engine/report/html/write.js');
    const data = await buildDashboard({
      root: io.cwd,
      ...(values.config ? { configPath: values.config } : {}),
      events: values.events ?? [],
    });
    const out = resolve(io.cwd, values.out);
    await writeDashboard(out, data);
    const events = data.events ? `, ${plural(data.events.events, 'event')}` : '';
    // A review page is still written over problems (a broken config, a bad archive): the page lists them.
    const problems = data.problems.length ? `; ${plural(data.problems.length, 'problem')} listed on the page` : '';
    io.stderr.write(`Dashboard of ${plural(data.prompts.length, 'prompt')}${events} written to ${out}${problems}\n`);
    return EXIT.pass;
  },
});
