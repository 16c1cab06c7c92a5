import { relative, resolve } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { defineCommand } from '../command.js';
import { CONFIG_OPTION, REPORT_OPTIONS } from '../options.js';
import { runEngine } from '../lazy-engine.js';

export const mergeCommand = defineCommand({
  name: 'merge',
  summary: 'make one report of the partial reports of a sharded run (--shard I/N)',
  description: [
    'Reads the partial reports that eval, baseline or drift wrote with --shard I/N --json FILE,',
    'checks they are shards 1..N of one run on one commit, and gives the report, markdown and',
    'exit code that run would have given unsharded. No model is called. Globs are expanded.',
  ].join('\n'),
  args: [{ name: 'REPORT', required: true, variadic: true }],
  options: { ...CONFIG_OPTION, ...REPORT_OPTIONS },
  async run({ values, args }, io) {
    const files = await Promise.all(
      args.map((arg) => (isDynamicPattern(arg) ? glob(arg, { cwd: io.cwd, absolute: true }) : [resolve(io.cwd, arg)])),
    );
    const { readPartialReports } = await import('../../engine/modes/shard.js');
    const partials = await readPartialReports([...new Set(files.flat())], {
      searched: args.join(' '),
      describe: (f) => relative(io.cwd, f),
    });
    // A merge replays its shards' run: their mode, against the base they compared with.
    const { mode, base } = partials[0]!;
    return runEngine('merge', values, { mode, merge: partials, ...(base.sha ? { base: { sha: base.sha, ref: base.ref } } : {}) }, io);
  },
});
