// `canary start|abort|check` (SPEC 11, 13): the rollout of a version against production.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CanaryReport } from '../../engine/canary/types.js';
import { EXIT, UsageError, defineCommand } from '../command.js';
import { SETTINGS } from '../../engine/settings.js';
import { CONFIG_OPTION, REPORT_OPTIONS, numberSetting } from '../options.js';

export const canaryStartCommand = defineCommand({
  name: 'canary start',
  summary: 'start a staged rollout of a released version against production',
  description:
    'Writes a canary for NAME to the release manifest: VERSION gets the first step’s share of traffic, production the rest. ' +
    'VERSION must have passed the promotion gate: released (archived) with an eval on the same suite as production’s, no metric worse. ' +
    'Exit 1 when the gate refuses.',
  args: [
    { name: 'NAME', required: true },
    { name: 'VERSION', required: true },
  ],
  options: {
    steps: { type: 'string', value: 'LIST', description: 'percent of traffic per step, ascending, ending with 100 (default 5,25,50,100)' },
    'min-samples': { type: 'string', value: 'N', description: 'calls per arm before a step may advance (default 200)' },
    'min-duration': { type: 'string', value: 'DURATION', description: 'how long each step runs at least, e.g. 24h (default 24h)' },
    ...CONFIG_OPTION,
  },
  async run({ values, args }, io) {
    const steps = values.steps?.split(',').map((s) => Number(s.trim()));
    if (steps?.some((s) => !Number.isFinite(s)))
      throw new UsageError(`--steps takes percentages separated by commas, e.g. 5,25,50,100; got "${values.steps}".`, 'canary start');
    const { startCanary } = await import('../../engine/modes/canary.js');
    const result = await startCanary({
      root: io.cwd,
      ...(values.config !== undefined && { configPath: values.config }),
      name: args[0]!,
      version: args[1]!,
      ...(steps && { steps }),
      ...(values['min-samples'] !== undefined && {
        minSamples: numberSetting('--min-samples', SETTINGS.canaryMinSamples, values['min-samples'], 'canary start')!,
      }),
      ...(values['min-duration'] !== undefined && { minDuration: values['min-duration'] }),
    });
    if ('refused' in result) {
      io.stderr.write(`promptgate: ${result.refused}\n`);
      return EXIT.fail;
    }
    io.stdout.write(`${result.done}\n`);
    return EXIT.pass;
  },
});

export const canaryAbortCommand = defineCommand({
  name: 'canary abort',
  summary: 'stop a rollout: production stays, the canary is removed',
  description: 'Removes the canary of NAME from the release manifest; labels.production does not move.',
  args: [{ name: 'NAME', required: true }],
  options: { ...CONFIG_OPTION },
  async run({ values, args }, io) {
    const { abortCanary } = await import('../../engine/modes/canary.js');
    io.stdout.write(
      `${await abortCanary({ root: io.cwd, ...(values.config !== undefined && { configPath: values.config }), name: args[0]! })}\n`,
    );
    return EXIT.pass;
  },
});

export const canaryCheckCommand = defineCommand({
  name: 'canary check',
  summary: 'decide every active canary from its events: hold, advance, promote or roll back',
  description:
    'Reads call and feedback events (promptgate/event@1 JSONL or OpenTelemetry Collector OTLP/JSON lines, .gz too), compares canary and control ' +
    'since the current step began with always-valid confidence sequences, and decides per prompt. With --apply the decisions are written to the release manifest. ' +
    'Exit 1 when a prompt rolls back or its arms show a sample-ratio mismatch.',
  options: {
    events: { type: 'string', multiple: true, value: 'GLOB', description: 'event files: .jsonl or .jsonl.gz, promptgate or OTLP lines' },
    apply: { type: 'boolean', description: 'write the decisions to the release manifest' },
    ...CONFIG_OPTION,
    ...REPORT_OPTIONS,
  },
  async run({ values }, io) {
    const { runCanaryCheck } = await import('../../engine/modes/canary.js');
    const { renderCanaryMarkdown } = await import('../../engine/report/canary-markdown.js');
    const report = await runCanaryCheck({
      root: io.cwd,
      ...(values.config !== undefined && { configPath: values.config }),
      events: values.events ?? [],
      apply: Boolean(values.apply),
    });
    if (values.json) await writeFile(resolve(io.cwd, values.json), `${JSON.stringify(report, null, 2)}\n`);
    io.stdout.write(values.markdown ? renderCanaryMarkdown(report) : canarySummary(report));
    return report.result === 'pass' ? EXIT.pass : EXIT.fail;
  },
});

/** Plain text for a terminal or a CI log: one block per prompt. */
function canarySummary(report: CanaryReport): string {
  const lines: string[] = [];
  if (report.prompts.length === 0) lines.push('No prompt has an active canary.');
  for (const p of report.prompts) {
    lines.push(
      `${p.decision.toUpperCase().padEnd(8)} ${p.prompt} ${p.arms.canary.version} at ${p.weight}% (control ${p.arms.control.calls} calls, canary ${p.arms.canary.calls} calls, SRM p ${p.srm_p.toPrecision(2)})`,
    );
    lines.push(`         ${p.reason}`);
    for (const m of p.metrics) {
      const bound = m.interval
        ? m.interval[0] !== null
          ? `>= ${m.interval[0].toPrecision(3)}`
          : `<= ${m.interval[1]!.toPrecision(3)}`
        : (m.note ?? '');
      lines.push(
        `         ${m.name}: ${m.control?.toPrecision(4) ?? 'n/a'} -> ${m.canary?.toPrecision(4) ?? 'n/a'}, difference ${bound}${m.regressed ? ' REGRESSED' : ''}`,
      );
    }
  }
  const e = report.events;
  if (e.files.length) lines.push(`Events: ${e.events} from ${e.files.length} file(s); ${e.malformed} malformed line(s) skipped.`);
  for (const example of e.malformed_examples) lines.push(`  ${example}`);
  if (report.applied) lines.push('Decisions written to the release manifest.');
  lines.push(report.result === 'pass' ? 'PASS' : 'FAIL');
  return `${lines.join('\n')}\n`;
}
