import { resolve } from 'node:path';
import { EXIT, UsageError, defineCommand } from '../command.js';
import { CONFIG_OPTION } from '../options.js';

export const publishCommand = defineCommand({
  name: 'publish',
  summary: 'write the static bundle applications read (manifest.json + artifacts/)',
  description:
    'Writes DIR/manifest.json (promptgate/manifest@1, every label resolved to {version, sha256}) and DIR/artifacts/<sha256>.json ' +
    '(the archive files, byte for byte). Serve DIR from any static host; only manifest.json changes when a label moves.',
  options: { out: { type: 'string', value: 'DIR', description: 'the directory to write (required)' }, ...CONFIG_OPTION },
  async run({ values }, io) {
    if (!values.out) throw new UsageError('publish needs --out DIR.', 'publish');
    const { registryProject } = await import('../registry-project.js');
    const { currentHead } = await import('../../engine/git/commands.js');
    const { publish } = await import('../../engine/registry/publish.js');
    const { src, project } = registryProject(io.cwd, values.config);
    const outDir = resolve(io.cwd, values.out);
    const { sha } = await currentHead(io.cwd);
    const result = await publish(src, project.config, { outDir, commit: sha });
    const prompts = Object.keys(result.manifest['prompts'] as object).length;
    io.stdout.write(
      `Published ${prompts} prompt${prompts === 1 ? '' : 's'} and ${result.artifacts.length} artifact${result.artifacts.length === 1 ? '' : 's'} to ${values.out}.\n`,
    );
    return EXIT.pass;
  },
});
