import { EXIT, defineCommand } from '../command.js';
import { CONFIG_OPTION } from '../options.js';
import { LABEL_OPTIONS } from './promote.js';

export const rollbackCommand = defineCommand({
  name: 'rollback',
  summary: 'move a label back to the version it pointed at before its last move',
  description:
    "Finds the previous version in the release manifest's git history (fetching history a shallow checkout lacks), or takes --to. " +
    'Removes an active canary of the prompt. A rollback is never blocked by the gate and calls no model.',
  args: [{ name: 'NAME', required: true }],
  options: { ...LABEL_OPTIONS, to: { type: 'string', value: 'VERSION', description: 'roll back to this version' }, ...CONFIG_OPTION },
  async run({ values, args }, io) {
    const { registryProject } = await import('../registry-project.js');
    const { rollback } = await import('../../engine/registry/pointers.js');
    const { src, project } = registryProject(io.cwd, values.config);
    const move = await rollback(io.cwd, src, project, {
      name: args[0]!,
      label: values.label ?? 'production',
      ...(values.segment && { segment: values.segment }),
      ...(values.to && { to: values.to }),
    });
    const where = `${move.name} ${move.segment ? `segment ${move.segment} ` : ''}${move.label}`;
    const canary = move.canaryRemoved ? ` The canary of ${move.canaryRemoved} was removed.` : '';
    io.stdout.write(
      `${where}: ${move.from} -> ${move.to} (rollback) in ${move.file}.${canary} Commit and publish it: running apps pick it up within their registry's TTL.\n`,
    );
    return EXIT.pass;
  },
});
