import { EXIT, defineCommand } from '../command.js';
import { CONFIG_OPTION } from '../options.js';

export const LABEL_OPTIONS = {
  label: { type: 'string', value: 'LABEL', description: 'the label to move (default production)' },
  segment: { type: 'string', value: 'S', description: "move the segment's label instead of the prompt's" },
} as const;

export const promoteCommand = defineCommand({
  name: 'promote',
  summary: 'point a label of a prompt at a version in the release manifest',
  description:
    "Edits .promptgate/releases.yaml (only the line that changes). VERSION must be released or be the prompt's current version. " +
    'Commit the change in a pull request: the gate evaluates the new production version against the one production runs now.',
  args: [
    { name: 'NAME', required: true },
    { name: 'VERSION', required: true },
  ],
  options: { ...LABEL_OPTIONS, ...CONFIG_OPTION },
  async run({ values, args }, io) {
    const { registryProject } = await import('../registry-project.js');
    const { promote } = await import('../../engine/registry/pointers.js');
    const { src, project } = registryProject(io.cwd, values.config);
    const [name, version] = args as [string, string];
    const move = await promote(io.cwd, src, project, {
      name,
      version,
      label: values.label ?? 'production',
      ...(values.segment && { segment: values.segment }),
    });
    const where = `${move.name} ${move.segment ? `segment ${move.segment} ` : ''}${move.label}`;
    io.stdout.write(
      move.from === move.to
        ? `${where} already points at ${move.to}; ${move.file} is unchanged.\n`
        : `${where}: ${move.from ?? '(unset)'} -> ${move.to} in ${move.file}. Commit it in a pull request.\n`,
    );
    return EXIT.pass;
  },
});
